/** Records per statement: bounds how long one batch holds its chain heads. */
const MAX_BATCH_ITEMS = 256;

interface Unit<T, R> {
  items: T[];
  resolve(results: R[]): void;
  reject(err: unknown): void;
  handedOver?: () => void;
}

/** Writes a batch; calls `handedOver` once the batch has left the process, before it is committed. */
export type BatchWrite<T, R> = (items: T[], handedOver: () => void) => Promise<R[]>;

/**
 * Group commit per key (an audit chain): a submission made while the key has no write in flight is written at once;
 * submissions arriving during a write wait and then go together in the next single write. Appends to one chain are
 * serialised by its head lock anyway, so under load N waiting appends share one transaction and one WAL flush
 * instead of queueing for N. Each submission resolves with its own results once its batch has committed; if a batch
 * fails, its submissions are retried one by one so a single bad record fails alone.
 */
export class GroupCommit<T, R> {
  private readonly queues = new Map<string, Unit<T, R>[]>();

  constructor(private readonly write: BatchWrite<T, R>) {}

  /** `handedOver` runs when the batch holding these items has left the process (see BatchWrite). */
  submit(key: string, items: T[], handedOver?: () => void): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      const unit = { items, resolve, reject, handedOver };
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(unit);
        return;
      }
      this.queues.set(key, [unit]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length) await this.writeBatch(takeBatch(queue));
    this.queues.delete(key);
  }

  private async writeBatch(batch: Unit<T, R>[]): Promise<void> {
    try {
      const results = await this.write(
        batch.flatMap((u) => u.items),
        () => batch.forEach((u) => u.handedOver?.()),
      );
      let at = 0;
      for (const unit of batch) unit.resolve(results.slice(at, (at += unit.items.length)));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const unit of batch) await this.writeBatch([unit]);
    }
  }
}

function takeBatch<T, R>(queue: Unit<T, R>[]): Unit<T, R>[] {
  let items = 0;
  let n = 0;
  while (n < queue.length && (n === 0 || items + queue[n].items.length <= MAX_BATCH_ITEMS)) items += queue[n++].items.length;
  return queue.splice(0, n);
}
