/**
 * The connection a unit of work ran on died under it (its session terminated, its socket closed). TypeORM then
 * releases the query runner by itself, and the work's next statement fails with "Query runner already released",
 * which says nothing of the cause; this error says it. Its SQLSTATE is Postgres' own for the case (08006,
 * connection_failure), so it is classified with the other lost connections: 503 `database.unavailable`.
 */
export class ConnectionLostError extends Error {
  readonly code = '08006';

  constructor(cause: unknown) {
    super('The database connection was lost during the transaction', { cause });
    this.name = 'ConnectionLostError';
  }
}
