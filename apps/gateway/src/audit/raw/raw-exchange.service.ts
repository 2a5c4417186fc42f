import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/app-error';
import type { Principal } from '../../common/request-context/principal';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { AuditService } from '../audit.service';
import { RawExchangeStore, RetainedRawExchange } from './raw-exchange.store';

export interface RawExchangePurge {
  deleted: number;
  oldest?: string;
  newest?: string;
}

/** Reading and deleting retained raw exchanges, each on the record. */
@Injectable()
export class RawExchangeService {
  constructor(
    private readonly store: RawExchangeStore,
    private readonly audit: AuditService,
    private readonly tx: TenantTransaction,
  ) {}

  /** The read is recorded on the organisation's own chain, so the tenant can see that staff opened it. */
  async fetch(exchangeId: string, actor: Principal): Promise<RetainedRawExchange> {
    const row = await this.store.find(exchangeId);
    if (!row) throw new NotFoundError('audit_raw_exchange');
    await this.audit.recordSecurityEvent({
      type: 'audit.raw_exchange_read',
      vendorId: row.vendorId,
      organisationId: row.organisationId ?? undefined,
      actor,
      details: { exchangeId, operation: row.operation, requestId: row.requestId },
    });
    return this.store.open(row);
  }

  /** Deletes expired rows and records how many and from when, in one transaction. */
  purgeExpired(): Promise<RawExchangePurge> {
    return this.tx.runInPlatformScope('audit: purge expired raw exchanges', async (m) => {
      const { deleted, oldest, newest } = await this.store.deleteExpired(m);
      if (!deleted || !oldest || !newest) return { deleted: 0 };
      const purge = { deleted, oldest: oldest.toISOString(), newest: newest.toISOString() };
      await this.audit.recordSecurityEvent(
        { type: 'audit.raw_exchanges_purged', details: { ...purge, retentionDays: this.store.retentionDays } },
        m,
      );
      return purge;
    });
  }
}
