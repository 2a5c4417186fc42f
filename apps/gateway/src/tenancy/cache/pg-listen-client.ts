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
  Client: new (config: { connectionString: string; keepAlive: boolean; application_name: string }) => PgListenClient;
};

export function createListenClient(url: string): PgListenClient {
  return new pg.Client({ connectionString: url, keepAlive: true, application_name: 'usi-gateway-cache-listener' });
}
