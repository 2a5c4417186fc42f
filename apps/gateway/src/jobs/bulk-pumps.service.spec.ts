import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import type { VendorId } from '../database/vendor-id';
import type { JobQueue } from '../queue/job-queue';
import type { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { QueueUnavailableError } from '../queue/queue-unavailable.error';
import { BulkPumps, type PumpedKind } from './bulk-pumps.service';
import type { ClaimedBatch } from './job.types';

const VENDOR = 'vendor-1' as VendorId;

/**
 * A kind of job with `queued` batches; `onSend` runs as each is sent (to add work to another kind meanwhile). A
 * `chains` kind claims its next batch with the record of the last when the pump allows it (as verification does).
 */
class FakeKind implements PumpedKind {
  claims = 0;
  chained = 0;
  readonly sent: number[] = [];
  readonly chainAllowed: boolean[] = [];
  onSend?: (batchNo: number) => void;

  constructor(
    public queued: number[],
    private readonly env = 'sim',
    private readonly chains = false,
  ) {}

  environment(): string {
    return this.env;
  }

  async claim(): Promise<ClaimedBatch | undefined> {
    this.claims += 1;
    const batchNo = this.queued.shift();
    return batchNo === undefined ? undefined : ({ batchNo } as ClaimedBatch);
  }

  async send(batch: ClaimedBatch, chain: boolean): Promise<ClaimedBatch | undefined> {
    this.sent.push(batch.batchNo);
    this.chainAllowed.push(chain);
    this.onSend?.(batch.batchNo);
    if (!this.chains || !chain) return undefined;
    const batchNo = this.queued.shift();
    if (batchNo === undefined) return undefined;
    this.chained += 1;
    return { batchNo } as ClaimedBatch;
  }

  async vendorsWithWork(): Promise<{ vendorId: VendorId; environment: string }[]> {
    return [];
  }
}

function pumpsWith(...kinds: FakeKind[]): BulkPumps {
  const pumps = new BulkPumps({} as JobQueue, {} as ScheduledJobs, { usi: { timeoutMs: 1000 }, jobs: { upstreamConcurrency: 1 } } as AppConfig);
  kinds.forEach((k) => pumps.register(k));
  return pumps;
}

describe('BulkPumps.pump', () => {
  it('sends every batch of a busy kind and asks an empty kind only at the start and before stopping', async () => {
    const verification = new FakeKind([1, 2, 3, 4, 5, 6, 7, 8]);
    const creation = new FakeKind([]);
    await pumpsWith(verification, creation).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(verification.sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Once after the first batch, once before stopping: not once per batch sent.
    expect(creation.claims).toBe(2);
  });

  it('sends work a skipped kind got meanwhile before it stops, instead of leaving it to the periodic wake', async () => {
    const verification = new FakeKind([1, 2, 3]);
    const creation = new FakeKind([]);
    verification.onSend = (n) => {
      if (n === 2) creation.queued.push(100);
    };
    await pumpsWith(verification, creation).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(verification.sent).toEqual([1, 2, 3]);
    expect(creation.sent).toEqual([100]);
  });

  it('takes turns between kinds that both have work', async () => {
    const verification = new FakeKind([1, 2, 3]);
    const creation = new FakeKind([10, 20, 30]);
    const order: number[] = [];
    verification.onSend = creation.onSend = (n) => order.push(n);
    await pumpsWith(verification, creation).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(order).toEqual([1, 10, 2, 20, 3, 30]);
  });

  it('lets a kind chain its batches while the other kinds are skipped, and stops chaining when another is due', async () => {
    const verification = new FakeKind([1, 2, 3, 4, 5], 'sim', true);
    const creation = new FakeKind([]);
    await pumpsWith(verification, creation).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(verification.sent).toEqual([1, 2, 3, 4, 5]);
    // Batch 1 was sent before creation had been asked; then creation is skipped: 2 is claimed, 3–5 come chained.
    expect(verification.chainAllowed[0]).toBe(false);
    expect(verification.chained).toBe(3);
    expect(verification.claims).toBe(4); // 1, 2, and the two passes that found nothing left (7 without chaining)

    const busy = new FakeKind([1, 2, 3], 'sim', true);
    const other = new FakeKind([10, 20, 30]);
    const order: number[] = [];
    busy.onSend = other.onSend = (n) => order.push(n);
    await pumpsWith(busy, other).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(order).toEqual([1, 10, 2, 20, 3, 30]); // another kind with work keeps its turns
    expect(busy.chained).toBe(0);
  });

  it('leaves kinds of another USI environment alone', async () => {
    const here = new FakeKind([1]);
    const elsewhere = new FakeKind([9], 'production');
    await pumpsWith(here, elsewhere).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(here.sent).toEqual([1]);
    expect(elsewhere.claims).toBe(0);
  });
});

describe('BulkPumps.wake', () => {
  it('asks for every pump slot at once, so a queue that does not answer costs one deadline, not one per slot', async () => {
    const pending: Array<{ jobId?: string; resolve: () => void }> = [];
    const add = jest.fn((_queue: string, _name: string, _data: object, options?: { jobId?: string }) => new Promise<string>((resolve) => pending.push({ jobId: options?.jobId, resolve: () => resolve(options?.jobId ?? '') })));
    const pumps = new BulkPumps({ add } as unknown as JobQueue, {} as ScheduledJobs, { usi: { timeoutMs: 1000 }, jobs: { upstreamConcurrency: 3 } } as AppConfig);
    const woken = pumps.wake(VENDOR, 'sim');
    await Promise.resolve();
    expect(pending.map((p) => p.jobId)).toEqual([`pump-${VENDOR}-sim-0`, `pump-${VENDOR}-sim-1`, `pump-${VENDOR}-sim-2`]);
    pending.forEach((p) => p.resolve());
    await woken;
  });
});

describe('BulkPumps.wakeLater', () => {
  it('leaves the wake to the periodic one when the queue does not answer in time, and lets other failures through', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const add = jest.fn<Promise<string>, unknown[]>().mockRejectedValueOnce(new QueueUnavailableError()).mockRejectedValueOnce(new Error('bug'));
    const pumps = new BulkPumps({ add } as unknown as JobQueue, {} as ScheduledJobs, { usi: { timeoutMs: 1000 }, jobs: { upstreamConcurrency: 1 } } as AppConfig);
    await expect(pumps.wakeLater(VENDOR, 'sim', 5_000, 'job-1-p0')).resolves.toBeUndefined();
    expect(warn.mock.calls).toEqual([[expect.objectContaining({ key: 'job-1-p0', code: 'queue.unavailable' })]]);
    await expect(pumps.wakeLater(VENDOR, 'sim', 5_000, 'job-1-p1')).rejects.toThrow('bug');
    warn.mockRestore();
  });
});
