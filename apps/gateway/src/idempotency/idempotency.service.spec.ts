import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { asVendorId } from '../database/vendor-id';
import type { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService, IN_PROGRESS_RETRY_AFTER_SECONDS } from './idempotency.service';
import type { ClaimResult, IdempotencyRecord, StoredResponse } from './idempotency.types';

const VENDOR = asVendorId('0b9f3c4e-8a52-4a55-9d1e-6f0f2b7c9a11');
const HASH = 'a'.repeat(64);
const STORED: StoredResponse = { status: 201, body: { usi: 'BNGH7C75FN' }, headers: { 'content-type': 'application/json' } };

/** A repository whose answers are scripted: `claims` for claim(), `finds` for find(), in order. */
function scripted(claims: ClaimResult[], finds: (IdempotencyRecord | undefined)[] = []) {
  const calls = { claim: 0, find: 0, complete: [] as unknown[], release: [] as unknown[] };
  const repo = {
    claim: async (...args: unknown[]) => {
      expect(args).toEqual([VENDOR, 'k', HASH]);
      calls.claim += 1;
      return claims.shift() ?? { claimed: false, existing: { status: 'in_progress', requestHash: HASH } };
    },
    find: async (...args: unknown[]) => {
      expect(args).toEqual([VENDOR, 'k']);
      calls.find += 1;
      return finds.length ? finds.shift() : { status: 'in_progress', requestHash: HASH };
    },
    complete: async (...args: unknown[]) => void calls.complete.push(args),
    release: async (...args: unknown[]) => void calls.release.push(args),
  };
  const service = new IdempotencyService(repo as unknown as IdempotencyRepository, { idempotency: { waitMs: 300 } } as AppConfig);
  return { service, calls };
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

describe('IdempotencyService.begin', () => {
  it('runs the request that claims the key', async () => {
    const { service, calls } = scripted([{ claimed: true }]);
    await expect(service.begin(VENDOR, 'k', HASH)).resolves.toEqual({ kind: 'run' });
    expect(calls).toMatchObject({ claim: 1, find: 0 });
  });

  it('replays a completed response for the same request without waiting', async () => {
    const { service, calls } = scripted([{ claimed: false, existing: { status: 'completed', requestHash: HASH, response: STORED } }]);
    await expect(service.begin(VENDOR, 'k', HASH)).resolves.toEqual({ kind: 'replay', response: STORED });
    expect(calls.find).toBe(0);
  });

  it('refuses the key for a different request, whether that one is done or still running', async () => {
    for (const existing of [
      { status: 'completed', requestHash: 'b'.repeat(64), response: STORED },
      { status: 'in_progress', requestHash: 'b'.repeat(64) },
    ] as IdempotencyRecord[]) {
      const { service } = scripted([{ claimed: false, existing }]);
      const err = await errorOf(service.begin(VENDOR, 'k', HASH));
      expect(err.code).toBe('idempotency.mismatch');
      expect(err.message).toMatch(/different request/);
    }
  });

  it('waits for the running request and replays what it stored', async () => {
    const { service, calls } = scripted(
      [{ claimed: false, existing: { status: 'in_progress', requestHash: HASH } }],
      [{ status: 'in_progress', requestHash: HASH }, { status: 'completed', requestHash: HASH, response: STORED }],
    );
    await expect(service.begin(VENDOR, 'k', HASH)).resolves.toEqual({ kind: 'replay', response: STORED });
    expect(calls).toMatchObject({ claim: 1, find: 2 });
  });

  it('waits when the key is taken but its row is gone by the time it is read (released in between)', async () => {
    const { service, calls } = scripted(
      [{ claimed: false, existing: undefined }],
      [{ status: 'completed', requestHash: HASH, response: STORED }],
    );
    await expect(service.begin(VENDOR, 'k', HASH)).resolves.toEqual({ kind: 'replay', response: STORED });
    expect(calls).toMatchObject({ claim: 1, find: 1 });
  });

  it('runs instead of the owner when the owner gave the key back', async () => {
    const { service, calls } = scripted(
      [{ claimed: false, existing: { status: 'in_progress', requestHash: HASH } }, { claimed: true }],
      [undefined],
    );
    await expect(service.begin(VENDOR, 'k', HASH)).resolves.toEqual({ kind: 'run' });
    expect(calls).toMatchObject({ claim: 2, find: 1 });
  });

  it('gives up with idempotency.in_progress and a retry hint once the wait is spent, polling with backoff', async () => {
    const { service, calls } = scripted([{ claimed: false, existing: { status: 'in_progress', requestHash: HASH } }]);
    const err = await errorOf(service.begin(VENDOR, 'k', HASH));
    expect(err.code).toBe('idempotency.in_progress');
    expect(err.message).toMatch(/still being processed/);
    expect(err.details).toEqual({ retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS });
    expect(IN_PROGRESS_RETRY_AFTER_SECONDS).toBeGreaterThanOrEqual(1);
    // Each sleep is at least half the current delay (10 ms, doubling): however slow the machine, a 300 ms wait holds
    // at most 7 polls; without the backoff it would be dozens.
    expect(calls.find).toBeGreaterThanOrEqual(1);
    expect(calls.find).toBeLessThanOrEqual(8);
  });

  it('complete and release go to the repository for the same vendor and key', async () => {
    const { service, calls } = scripted([]);
    await service.complete(VENDOR, 'k', STORED);
    await service.release(VENDOR, 'k');
    expect(calls.complete).toEqual([[VENDOR, 'k', STORED]]);
    expect(calls.release).toEqual([[VENDOR, 'k']]);
  });
});
