import { Logger, OnApplicationShutdown } from '@nestjs/common';

/** The slice of `pg.Pool` the appends need (the package ships no types in this repository). */
interface PgPool {
  readonly ended: boolean;
  query<R>(query: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'connect', listener: (client: PgClient) => void): this;
  end(): Promise<void>;
}

interface PgClient {
  once(event: 'end', listener: () => void): this;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as {
  Pool: new (config: {
    connectionString: string;
    max: number;
    idleTimeoutMillis: number;
    application_name: string;
    statement_timeout: number;
    connectionTimeoutMillis: number;
  }) => PgPool;
};

export interface Appended {
  ord: number;
  chain_seq: string;
  prev_hash: string;
  hash: string;
}

/** The one call of migration AuditAppendFunction; also run inside a caller's transaction by AuditRepository. */
export const AUDIT_APPEND_SQL = `select ord, chain_seq, prev_hash, hash from audit_append($1::text[], $2::text[], $3::text[]) order by ord`;

export type AppendCall = (chainIds: string[], heads: string[], tails: string[]) => Promise<Appended[]>;

/**
 * The connections that autocommit `audit_append` calls (every append not joined to a caller's transaction). Raw
 * `pg` with a named prepared statement rather than TypeORM: one Bind/Execute per append on a warm connection, no
 * query-runner bookkeeping, and appends on the request path never wait behind the main pool's longer transactions.
 * Same role as the application (RLS unchanged: the function sets the tenant scope itself). Connects lazily, so an app
 * that never appends holds no sockets; closed on shutdown.
 */
export class AuditAppendPool implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditAppendPool.name);
  private readonly pool: PgPool;
  /** Resolve when each connection's socket has closed (`pool.end()` does not wait for that). */
  private readonly closed = new Set<Promise<void>>();

  constructor(url: string, max = 4) {
    // Idle connections are kept for minutes, not pg's default 10 s: an append after a quiet spell should not pay a new
    // session (authentication, and re-preparing the statement) on the request path.
    this.pool = new pg.Pool({
      connectionString: url,
      max,
      idleTimeoutMillis: 300_000,
      application_name: 'usi-gateway-audit',
      statement_timeout: 5_000,
      connectionTimeoutMillis: 5_000,
    });
    // An idle connection dropped by the server must not crash the process; the pool replaces it on the next append.
    this.pool.on('error', (err) => this.logger.warn({ err }, 'idle audit connection closed'));
    this.pool.on('connect', (client) => {
      const closed: Promise<void> = new Promise((resolve) => client.once('end', () => resolve(void this.closed.delete(closed))));
      this.closed.add(closed);
    });
  }

  async append(chainIds: string[], heads: string[], tails: string[]): Promise<Appended[]> {
    const { rows } = await this.pool.query<Appended>({ name: 'audit_append', text: AUDIT_APPEND_SQL, values: [chainIds, heads, tails] });
    return rows;
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
