import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs as the application role, so a broken grant or role shows up as "not ready". */
  async pingDatabase(): Promise<void> {
    await this.dataSource.query('select 1');
  }
}
