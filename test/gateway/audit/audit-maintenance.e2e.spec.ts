import { AuditService } from '@gateway/audit/audit.service';
import { AuditMaintenance } from '@gateway/audit/jobs/audit-maintenance.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

describe('audit maintenance', () => {
  let gw: GatewayTestApp;
  let jobs: AuditMaintenance;

  beforeAll(async () => {
    gw = await createGatewayApp();
    jobs = gw.app.get(AuditMaintenance);
  });
  afterAll(() => gw?.close());

  const partitions = async () =>
    (
      await queryAs<{ name: string }>(
        gw.db.ownerUrl,
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'audit_events'::regclass order by 1`,
      )
    ).map((r) => r.name);

  it('creates partitions ahead and drops only those past retention, auditing the drop', async () => {
    await jobs.ensurePartitions();
    const now = new Date();
    const month = (offset: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `audit_events_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    expect(await partitions()).toEqual(expect.arrayContaining([month(0), month(1), month(2)]));

    const old = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString();
    // Retention 84 months: a partition goes once its newest possible row is older than that.
    for (const offset of [-86, -85, -84]) {
      const d = new Date(old(offset));
      const name = month(offset);
      await queryAs(gw.db.ownerUrl, `create table ${name} partition of audit_events for values from ('${old(offset)}') to ('${new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString()}')`);
    }
    const dropped = await jobs.dropExpiredPartitions();
    expect(dropped.sort()).toEqual([month(-86), month(-85)].sort());
    expect(await partitions()).toContain(month(-84));
    const [event] = await queryAs<{ details: { partitions: string[] } }>(
      gw.db.ownerUrl,
      `select details from audit_events where type = 'audit.partitions_dropped'`,
    );
    expect(event.details.partitions.sort()).toEqual(dropped.sort());
  });

  it('refuses a retention under twelve months', async () => {
    await expect(queryAs(gw.db.appUrl, `select audit_drop_partitions(3)`)).rejects.toThrow(/below 12 months/);
  });

  it('reports every chain head for the daily log line', async () => {
    const vendorId = (await gw.newVendor()).id;
    const audit = gw.app.get(AuditService);
    await audit.recordSecurityEvent({ type: 'test.one', vendorId: asVendorId(vendorId) });
    await audit.recordSecurityEvent({ type: 'test.two', vendorId: asVendorId(vendorId) });
    const heads = await jobs.logChainHeads();
    const [last] = await queryAs<{ hash: string }>(
      gw.db.ownerUrl,
      `select hash from audit_events where chain_id = $1 order by chain_seq desc limit 1`,
      [`vendor:${vendorId}`],
    );
    expect(heads).toContainEqual({ chainId: `vendor:${vendorId}`, seq: 2, hash: last.hash });
  });
});
