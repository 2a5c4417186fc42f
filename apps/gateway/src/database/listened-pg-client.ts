import { Logger } from '@nestjs/common';

/** The slice of `pg.Client` this needs (the package ships no types in this repository). */
interface PgClientBase {
  readonly connectionParameters?: { application_name?: string };
  on(event: 'error', listener: (err: Error) => void): this;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as { Client: new (config?: object) => PgClientBase };

const logger = new Logger('PostgresConnection');

/**
 * The `pg.Client` every pool of the gateway creates (pg-pool's `Client` option), listening for `error` from birth to
 * end. A client emits `error` when its connection dies outside a query: the session terminated between two statements
 * of a transaction, or the socket closed while a query ran (the server or its host gone, a network reset; the query's
 * own failure comes a tick later). An `error` event nobody listens to ends the process, and pg-pool listens only while
 * the client is idle in the pool; whoever checked it out is trusted to listen. TypeORM does, but only once the
 * checkout has reached it through a promise: a session terminated in the same network read that completed its
 * connection (or its previous query) emits before that, with no listener anywhere. So the client listens itself.
 * Nothing else is needed: the client is then unusable (`_queryable` false), its queries fail with an error that reads as
 * "database unavailable", and the pool discards it when it is released or found dead while idle.
 */
export class ListenedPgClient extends pg.Client {
  constructor(config?: object) {
    super(config);
    this.on('error', (err) => {
      logger.warn({ msg: 'Postgres connection lost', application: this.connectionParameters?.application_name, err: err.message });
    });
  }
}
