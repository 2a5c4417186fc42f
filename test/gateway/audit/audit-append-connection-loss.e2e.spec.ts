import { randomUUID } from 'node:crypto';
import { AuditAppendPool } from '@gateway/audit/audit-append.pool';
import { AuditRepository } from '@gateway/audit/audit.repository';
import { organisationChain } from '@gateway/audit/chain/audit-chain';
import { isDatabaseUnavailable } from '@gateway/database/pg-error';
import { asVendorId } from '@gateway/database/vendor-id';
import { auditEventInput } from '../../support/audit-event';
import { testKeyring } from '../../support/chain-keys';
import { lockChainHead } from '../../support/chain-head-lock';
import { startTcpProxy, TcpProxy } from '../../support/tcp-proxy';
import { createTestDatabase, queryAs, TestDatabase } from '../../support/test-database';

/**
 * A connection of the audit pool lost while it is checked out (an append in flight) when the server's host dies or
 * the network drops: no error message from Postgres, the socket just closes. node-postgres then emits `error` on the
 * client before it fails the query, and pg-pool listens on its clients only while they are idle, so without a
 * listener of our own that event ended the gateway process (`Unhandled 'error' event`). The shared test server must
 * not be stopped, so the connection goes through a TCP proxy the test cuts; `pg_terminate_backend` would not do: the
 * backend says FATAL first, which fails the query before the socket closes, and nothing is emitted.
 */
describe('audit append pool: a connection lost mid-append', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let pool: AuditAppendPool;
  let repo: AuditRepository;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.appUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    pool = new AuditAppendPool(proxy.rewrite(db.appUrl), 1);
    repo = new AuditRepository(pool, testKeyring());
    process.prependListener('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.removeListener('uncaughtException', onUncaught);
    await pool?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('fails that append as database unavailable, keeps the process, and appends again on a new connection', async () => {
    const [{ id: vendorId }] = await queryAs<{ id: string }>(db.ownerUrl, `insert into vendors (name, abn) values ('V', '51824753556') returning id`);
    const organisationId = randomUUID();
    const event = (type: string) =>
      auditEventInput({ vendorId: asVendorId(vendorId), organisationId, category: 'security', type, outcome: 'recorded' });
    await repo.append(event('test.before'));

    // The next append waits in Postgres for the chain head, so it is in flight when the connection goes.
    const lock = await lockChainHead(db.ownerUrl, organisationChain(organisationId));
    let lost: unknown;
    try {
      const pending = repo.append(event('test.lost')).then(
        () => new Error('the append succeeded'),
        (err: unknown) => err,
      );
      await waitFor(async () => {
        const rows = await queryAs(db.ownerUrl, `select 1 from pg_stat_activity where application_name = 'usi-gateway-audit' and wait_event_type = 'Lock'`);
        return rows.length > 0;
      });
      proxy.cut();
      lost = await pending;
    } finally {
      await lock.release();
    }

    expect(uncaught).toEqual([]);
    expect(isDatabaseUnavailable(lost)).toBe(true);
    await expect(repo.append(event('test.after'))).resolves.toMatchObject({ type: 'test.after' });
    expect(uncaught).toEqual([]);
  });
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
