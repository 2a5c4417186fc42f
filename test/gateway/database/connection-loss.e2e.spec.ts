import { DataSource } from 'typeorm';
import { ConnectionLostError } from '@gateway/database/connection-lost.error';
import { ListenedPgClient } from '@gateway/database/listened-pg-client';
import { isDatabaseUnavailable } from '@gateway/database/pg-error';
import { TenantTransaction } from '@gateway/database/tenant-transaction.service';
import { createTestDatabase, queryAs, TestDatabase } from '../../support/test-database';

interface PooledClient {
  query(sql: string): Promise<{ rows: { pid: number }[] }>;
  release(err?: Error): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as {
  Pool: new (config: object) => {
    connect(): Promise<PooledClient>;
    query(sql: string): Promise<unknown>;
    on(event: 'error', listener: () => void): void;
    end(): Promise<void>;
  };
};

/**
 * Sessions of the gateway terminated by the server (`pg_terminate_backend`) at the moments no query of theirs is
 * running, when node-postgres reports the loss as an `error` event on the client instead of failing a query.
 */
describe('a pooled connection lost while checked out', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const terminate = (pid: number) => queryAs(db.ownerUrl, `select pg_terminate_backend($1)`, [pid]);

  it('does not end the process when the pool creates ListenedPgClient connections; the connection then reads as unavailable', async () => {
    // With pg's own Client this test dies of "Unhandled 'error' event": pg-pool does not listen while a client is out.
    const pool = new pg.Pool({ Client: ListenedPgClient, connectionString: db.appUrl, max: 1, application_name: 'usi-gateway-test' });
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      const [{ pid }] = (await client.query('select pg_backend_pid() as pid')).rows;
      await terminate(pid);
      const lost = await waitForRejection(() => client.query('select 1'));
      expect(isDatabaseUnavailable(lost)).toBe(true);
      client.release(lost as Error);
      await expect(pool.query('select 1')).resolves.toBeDefined();
    } finally {
      await pool.end();
    }
  });

  it('fails a transaction whose session ended between two statements as database unavailable, not "already released"', async () => {
    const dataSource = await new DataSource({
      type: 'postgres',
      url: db.appUrl,
      extra: { Client: ListenedPgClient, max: 2, application_name: 'usi-gateway-test' },
    }).initialize();
    try {
      const tx = new TenantTransaction(dataSource);
      const outcome = await tx
        .runUnscoped(async (m) => {
          const [{ pid }] = await m.query('select pg_backend_pid() as pid');
          await terminate(pid);
          // TypeORM releases the query runner once the connection reports the loss.
          await waitFor(() => m.queryRunner!.isReleased);
          return m.query('select 1');
        })
        .then(
          () => new Error('the transaction succeeded'),
          (err: unknown) => err,
        );
      expect(outcome).toBeInstanceOf(ConnectionLostError);
      expect(isDatabaseUnavailable(outcome)).toBe(true);
      await expect(tx.runUnscoped((m) => m.query('select 1'))).resolves.toEqual([{ '?column?': 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs `attempt` until it rejects (the loss reaches the client asynchronously) and returns the rejection. */
async function waitForRejection(attempt: () => Promise<unknown>, timeoutMs = 5_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
    } catch (err) {
      return err;
    }
    if (Date.now() > deadline) throw new Error('never failed');
    await new Promise((r) => setTimeout(r, 10));
  }
}
