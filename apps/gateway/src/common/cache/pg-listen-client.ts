/** The slice of `pg.Client` a LISTEN connection needs (the package ships no types in this repository). */
export interface PgListenClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  removeAllListeners(): this;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as {
  Client: new (config: {
    connectionString: string;
    keepAlive: boolean;
    keepAliveInitialDelayMillis: number;
    connectionTimeoutMillis: number;
    application_name: string;
  }) => PgListenClient;
};

/**
 * A LISTEN connection sits idle for hours, so nothing but TCP keepalive notices a peer that vanished without closing
 * it (a crashed host, a dropped NAT entry); probes start after 10 s idle instead of the kernel's 2 h. A connection
 * attempt that gets no answer (a server starting up behind a black hole) is abandoned and retried.
 */
export function createListenClient(url: string): PgListenClient {
  return new pg.Client({
    connectionString: url,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'usi-gateway-cache-listener',
  });
}
