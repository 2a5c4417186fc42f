import { OnApplicationShutdown } from '@nestjs/common';
import { ListenedPgClient } from '../database/listened-pg-client';

/** The slice of `pg.Pool` the appends need (the package ships no types in this repository). */
interface PgPool {
  readonly ended: boolean;
  connect(callback: (err: Error | undefined, client: PgPooledClient, release: (err?: Error) => void) => void): void;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'connect', listener: (client: PgClient) => void): this;
  end(): Promise<void>;
}

interface PgClient {
  once(event: 'end', listener: () => void): this;
}

interface PgPooledClient {
  query<R>(
    query: { name?: string; text: string; values?: unknown[] },
    callback: (err: Error | undefined, result: { rows: R[] }) => void,
  ): void;
}

/** Runs one statement on the connection of an `AuditAppendPool.transaction`. */
export type TransactionQuery = <R>(text: string, values: unknown[]) => Promise<R[]>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as {
  Pool: new (config: {
    Client: typeof ListenedPgClient;
    connectionString: string;
    max: number;
    idleTimeoutMillis: number;
    application_name: string;
    statement_timeout: number;
    connectionTimeoutMillis: number;
  }) => PgPool;
};

/** A stored record (`ord` ≥ 1, its 1-based position in the call), or the current head of a chain (`ord` 0). */
export interface Appended {
  ord: number;
  chain_id: string;
  chain_seq: string;
  prev_hash: string | null;
  hash: string;
}

/** The one call of migration AuditKeyedChain; also run inside a caller's transaction by AuditRepository. */
export const AUDIT_APPEND_SQL =
  `select ord, chain_id, chain_seq, prev_hash, hash from audit_append_keyed($1::text[], $2::text[], $3::text[], $4::text[], $5::text) order by ord`;

/** The heads the gateway starts from when it has none cached (no lock taken). */
export const AUDIT_HEADS_SQL = `select chain_id, seq, hash from audit_chain_heads_of($1::text[])`;

/** What one append sends: per record its chain, canonical JSON (sequence included), previous hash and HMAC. */
export interface AppendBatch {
  chainIds: string[];
  records: string[];
  prevHashes: string[];
  hashes: string[];
  keyId: string;
}

export type AppendCall = (batch: AppendBatch) => Promise<Appended[]>;
export type HeadsCall = (chainIds: string[]) => Promise<{ chain_id: string; seq: string; hash: string }[]>;

/**
 * The connections that autocommit `audit_append_keyed` calls (every append not joined to a caller's transaction). Raw
 * `pg` with a named prepared statement rather than TypeORM: one Bind/Execute per append on a warm connection, no
 * query-runner bookkeeping, and appends on the request path never wait behind the main pool's longer transactions.
 * Same role as the application (RLS unchanged: the function sets the tenant scope itself). Connects lazily, so an app
 * that never appends holds no sockets; closed on shutdown.
 */
export class AuditAppendPool implements OnApplicationShutdown {
  private readonly pool: PgPool;
  /** Resolve when each connection's socket has closed (`pool.end()` does not wait for that). */
  private readonly closed = new Set<Promise<void>>();

  constructor(url: string, max = 4) {
    // Idle connections are kept for minutes, not pg's default 10 s: an append after a quiet spell should not pay a new
    // session (authentication, and re-preparing the statement) on the request path.
    this.pool = new pg.Pool({
      // pg-pool listens for `error` on a connection only while it is idle; one that dies during an append (the server
      // or its host gone, a network reset) emitted `error` with nobody listening, and the process ended.
      Client: ListenedPgClient,
      connectionString: url,
      max,
      idleTimeoutMillis: 300_000,
      application_name: 'usi-gateway-audit',
      statement_timeout: 5_000,
      connectionTimeoutMillis: 5_000,
    });
    // The pool re-emits the error of a connection lost while idle, and an `error` event nobody listens to ends the
    // process. The client has logged it already; the pool replaces the connection on the next append.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => {
      const closed: Promise<void> = new Promise((resolve) => client.once('end', () => resolve(void this.closed.delete(closed))));
      this.closed.add(closed);
    });
  }

  /**
   * `handedOver` runs once the call has been written to the connection's socket, before the server has answered:
   * from then on the append no longer depends on this process staying alive (the server still runs and commits
   * what it has received when the connection drops after it).
   */
  append(batch: AppendBatch, handedOver?: () => void): Promise<Appended[]> {
    const values = [batch.chainIds, batch.records, batch.prevHashes, batch.hashes, batch.keyId];
    return this.query<Appended>('audit_append_keyed', AUDIT_APPEND_SQL, values, handedOver);
  }

  heads(chainIds: string[]): Promise<{ chain_id: string; seq: string; hash: string }[]> {
    return this.query('audit_chain_heads_of', AUDIT_HEADS_SQL, [chainIds]);
  }

  /**
   * `work` in one transaction on one connection: for an append whose autocommit attempt found a head moved by another
   * writer, since the head locks its first statement takes are then kept until the retry has been written.
   */
  transaction<T>(work: (query: TransactionQuery) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pool.connect((connectError, client, release) => {
        if (connectError) return reject(connectError);
        const query = <R>(text: string, values: unknown[] = []) =>
          new Promise<R[]>((ok, fail) => client.query<R>({ text, values }, (err, result) => (err ? fail(err) : ok(result.rows))));
        const run = async (): Promise<T> => {
          await query('begin');
          try {
            const result = await work(query);
            await query('commit');
            return result;
          } catch (err) {
            await query('rollback').catch(() => undefined);
            throw err;
          }
        };
        run().then(
          (result) => {
            release();
            resolve(result);
          },
          (err: Error) => {
            // A connection whose rollback failed too is in an unknown state: the pool discards it.
            release(err);
            reject(err);
          },
        );
      });
    });
  }

  private query<R>(name: string, text: string, values: unknown[], handedOver?: () => void): Promise<R[]> {
    // node-postgres's callback API: with its promise API every append left ~15 KB per request to survive two
    // scavenges (test/gateway/perf/request-retention).
    return new Promise((resolve, reject) => {
      this.pool.connect((connectError, client, release) => {
        if (connectError) return reject(connectError);
        client.query<R>({ name, text, values }, (err, result) => {
          // With an error the pool discards the connection instead of reusing it.
          release(err);
          if (err) reject(err);
          else resolve(result.rows);
        });
        // A connection the pool hands out is idle, so node-postgres has written the whole call to the socket by now.
        handedOver?.();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Returns once the server has ended every session, so their statistics and locks are gone too. */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
    await Promise.all(this.closed);
  }
}
