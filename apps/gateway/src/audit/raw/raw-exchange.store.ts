import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { Envelope, KEY_PROVIDER, KeyProvider } from '../../keys/key-provider';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import type { VendorId } from '../../database/vendor-id';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RawExchange {
  exchangeId: string;
  vendorId: VendorId;
  organisationId: string | null;
  requestId: string | null;
  operation: string;
  requestXml: string;
  responseXml: string | null;
}

export interface RetainedRawExchange extends RawExchange {
  createdAt: string;
  expiresAt: string;
}

type Sealed = Pick<RawExchange, 'requestXml' | 'responseXml'>;
type StoredRow = Omit<RawExchange, keyof Sealed> & { createdAt: Date; expiresAt: Date; envelope: Envelope };

/**
 * The encrypted raw SOAP store for dispute resolution (off unless AUDIT_RAW_RETENTION_DAYS > 0). The XML carries
 * personal data: it is in clear only in memory, sealed by the key provider and bound to the exchange id and vendor
 * (a row copied to another exchange or tenant does not open), and never logged.
 */
@Injectable()
export class RawExchangeStore {
  constructor(
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    private readonly tx: TenantTransaction,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get retentionDays(): number {
    return this.config.audit.rawRetentionDays;
  }

  async store(x: RawExchange, now = new Date()): Promise<void> {
    if (this.retentionDays <= 0) return;
    const plaintext = Buffer.from(JSON.stringify({ requestXml: x.requestXml, responseXml: x.responseXml } satisfies Sealed), 'utf8');
    const envelope = await this.keys.encrypt(plaintext, context(x.exchangeId, x.vendorId)).finally(() => plaintext.fill(0));
    const expiresAt = new Date(now.getTime() + this.retentionDays * DAY_MS);
    await this.tx.runInTenant(x.vendorId, (m) =>
      m.query(
        `insert into audit_raw_exchanges (exchange_id, vendor_id, organisation_id, request_id, operation, expires_at, envelope)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [x.exchangeId, x.vendorId, x.organisationId, x.requestId, x.operation, expiresAt, envelope],
      ),
    );
  }

  /** Cross-tenant (staff only); expired rows are treated as gone even before the purge runs. */
  async find(exchangeId: string): Promise<StoredRow | undefined> {
    const [row] = await this.tx.runInPlatformScope('audit: raw exchange for dispute resolution', (m) =>
      m.query(
        `select exchange_id as "exchangeId", vendor_id as "vendorId", organisation_id as "organisationId",
                request_id as "requestId", operation, created_at as "createdAt", expires_at as "expiresAt", envelope
           from audit_raw_exchanges where exchange_id = $1 and expires_at > now()`,
        [exchangeId],
      ),
    );
    return row;
  }

  /** Ids of the unexpired raw exchanges of one request (cross-tenant, staff only): links, never the XML. */
  async retainedFor(requestId: string): Promise<string[]> {
    const rows: { exchangeId: string }[] = await this.tx.runInPlatformScope('audit: raw exchanges of a request', (m) =>
      m.query(`select exchange_id as "exchangeId" from audit_raw_exchanges where request_id = $1 and expires_at > now()`, [requestId]),
    );
    return rows.map((r) => r.exchangeId);
  }

  async open(row: StoredRow): Promise<RetainedRawExchange> {
    const plaintext = await this.keys.decrypt(row.envelope, context(row.exchangeId, row.vendorId));
    const sealed = JSON.parse(plaintext.toString('utf8')) as Sealed;
    plaintext.fill(0);
    const { envelope: _, createdAt, expiresAt, ...meta } = row;
    return { ...meta, ...sealed, createdAt: createdAt.toISOString(), expiresAt: expiresAt.toISOString() };
  }

  /** In the caller's (platform-scope) transaction, so the deletion and its audit record commit together. */
  async deleteExpired(m: EntityManager): Promise<{ deleted: number; oldest: Date | null; newest: Date | null }> {
    const [result] = await m.query(
      `with gone as (delete from audit_raw_exchanges where expires_at <= now() returning created_at)
       select count(*)::int as deleted, min(created_at) as oldest, max(created_at) as newest from gone`,
    );
    return result;
  }
}

function context(exchangeId: string, vendorId: string): Record<string, string> {
  return { purpose: 'audit-raw-exchange', exchangeId, vendorId };
}
