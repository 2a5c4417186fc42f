import { AppError } from '../common/errors/app-error';

/** Seconds a client is asked to wait: the queue's client reconnects about once a second during an outage. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The queue's store (Redis, or Postgres for the default backend) did not take an enqueue within `QUEUE_ADD_TIMEOUT_MS`.
 * A caller whose work is already stored in Postgres logs it and carries on (a periodic sweep hands the work to the
 * queue later); anything else lets it reach the filter: 503 `queue.unavailable` with `Retry-After`.
 */
export class QueueUnavailableError extends AppError {
  constructor() {
    super('queue.unavailable', 'The job queue did not answer in time; try again shortly', { retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
}

export function isQueueUnavailable(err: unknown): err is QueueUnavailableError {
  return err instanceof AppError && err.code === 'queue.unavailable';
}
