import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionLostError } from './connection-lost.error';
import { VendorId } from './vendor-id';

/**
 * Runs work inside a transaction whose row-level-security settings are set with `set_config(..., true)`
 * (the `SET LOCAL` form), so they die with the transaction and never leak to the next user of the pooled
 * connection.
 */
@Injectable()
export class TenantTransaction {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  runInTenant<T>(vendorId: VendorId, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction(async (manager) => {
      await manager.query(`select set_config('app.vendor_id', $1, true)`, [vendorId]);
      return work(manager);
    });
  }

  /**
   * For the few lookups that happen before the tenant is known (API-key hash, login by email, session
   * cookie) or that are cross-tenant by nature (platform staff). `reason` documents the call site.
   */
  runInPlatformScope<T>(reason: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction(async (manager) => {
      await manager.query(`select set_config('app.platform_scope', 'on', true), set_config('app.scope_reason', $1, true)`, [
        reason,
      ]);
      return work(manager);
    });
  }

  /** Tables without tenant rows (login throttling). */
  runUnscoped<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  /**
   * `dataSource.transaction` on a query runner of our own, so a failure can be told apart: TypeORM releases a runner
   * before we do only when its connection emitted `error` (the session ended between two statements, or the socket
   * closed). The work then fails with "already released" or a driver error; either way the database went away.
   */
  private async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await runner.manager.transaction(work);
    } catch (err) {
      throw runner.isReleased ? new ConnectionLostError(err) : err;
    } finally {
      await runner.release();
    }
  }
}
