import type { AppConfig } from '../config/app-config';
import type { VendorId } from '../database/vendor-id';
import type { JobQueue } from '../queue/job-queue';
import type { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { BulkPumps, type PumpedKind } from './bulk-pumps.service';
import type { ClaimedBatch } from './job.types';

const VENDOR = 'vendor-1' as VendorId;

/** A kind of job with `queued` batches; `onSend` runs as each is sent (to add work to another kind meanwhile). */
class FakeKind implements PumpedKind {
  claims = 0;
  readonly sent: number[] = [];
  onSend?: (batchNo: number) => void;

  constructor(
    public queued: number[],
    private readonly env = 'sim',
  ) {}

  environment(): string {
    return this.env;
  }

  async claim(): Promise<ClaimedBatch | undefined> {
    this.claims += 1;
    const batchNo = this.queued.shift();
    return batchNo === undefined ? undefined : ({ batchNo } as ClaimedBatch);
  }

  async send(batch: ClaimedBatch): Promise<void> {
    this.sent.push(batch.batchNo);
    this.onSend?.(batch.batchNo);
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

  it('leaves kinds of another USI environment alone', async () => {
    const here = new FakeKind([1]);
    const elsewhere = new FakeKind([9], 'production');
    await pumpsWith(here, elsewhere).pump({ vendorId: VENDOR, environment: 'sim' });
    expect(here.sent).toEqual([1]);
    expect(elsewhere.claims).toBe(0);
  });
});
