import { VendorId } from '../../database/vendor-id';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder';
import { ApiKeyRepository } from './api-key.repository';

const V1 = 'vendor-1' as VendorId;
const V2 = 'vendor-2' as VendorId;

describe('ApiKeyUsageRecorder', () => {
  let now: number;
  let writes: { vendorId: VendorId; uses: { id: string; at: Date }[] }[];
  let fail: boolean;
  let recorder: ApiKeyUsageRecorder;

  beforeEach(() => {
    now = Date.parse('2026-11-29T10:00:00Z');
    writes = [];
    fail = false;
    const repository = {
      touchMany: async (vendorId: VendorId, uses: { id: string; at: Date }[]) => {
        if (fail) throw new Error('db down');
        writes.push({ vendorId, uses });
      },
    } as unknown as ApiKeyRepository;
    recorder = new ApiKeyUsageRecorder(repository, () => new Date(now));
  });

  it('writes each key at most once a minute, one statement per vendor', async () => {
    recorder.record(V1, 'k1');
    recorder.record(V1, 'k2');
    recorder.record(V2, 'k3');
    now += 1_000;
    recorder.record(V1, 'k1');
    await recorder.flush();
    expect(writes.map((w) => [w.vendorId, w.uses.map((u) => u.id)])).toEqual([
      [V1, ['k1', 'k2']],
      [V2, ['k3']],
    ]);
    now += 30_000;
    recorder.record(V1, 'k1');
    await recorder.flush();
    expect(writes).toHaveLength(2);
    now += 30_000;
    recorder.record(V1, 'k1');
    await recorder.flush();
    expect(writes[2]).toEqual({ vendorId: V1, uses: [{ id: 'k1', at: new Date(now) }] });
  });

  it('a failed write is retried on the next use, not lost silently or thrown', async () => {
    fail = true;
    recorder.record(V1, 'k1');
    await expect(recorder.flush()).resolves.toBeUndefined();
    fail = false;
    now += 1_000;
    recorder.record(V1, 'k1');
    await recorder.flush();
    expect(writes).toEqual([{ vendorId: V1, uses: [{ id: 'k1', at: new Date(now) }] }]);
  });
});
