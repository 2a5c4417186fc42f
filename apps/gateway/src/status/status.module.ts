import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { StatusController } from './status.controller';
import { StatusRepository } from './status.repository';
import { StatusService } from './status.service';

@Module({ imports: [UpstreamModule], controllers: [StatusController], providers: [StatusService, StatusRepository] })
export class StatusModule {}
