import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import type { TenantTransaction } from '../../database/tenant-transaction.service';
import { ChainKeyring } from '../chain/chain-keyring';
import type { AuditAnchorStore, SignedCheckpoint } from './audit-anchor.store';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { CheckpointSigner } from './checkpoint-signer';
import type { ScheduledJobs } from '../../queue/scheduled-jobs.service';

const ORG = 'org:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const VENDOR = 'vendor:9c5b94b1-35ad-49bb-b118-8e8fc24abf80';
const INTERVAL_MS = 60_000;

interface Head {
  chainId: string;
  seq: string;
  hash: string;
  keyedFrom: string | null;
}

/** `audit_chain_heads` in memory; Postgres answers bigint columns as text, so the fake does too. */
function fakeHeads(heads: Head[]) {
  const reasons: string[] = [];
  const manager = {
    query: async (sql: string) => {
      const text = sql.replace(/\s+/g, ' ');
      if (!/^select chain_id as "chainId", seq, hash, keyed_from as "keyedFrom" from audit_chain_heads\b/.test(text)) {
        throw new Error(`unexpected SQL: ${text}`);
      }
      return heads.filter((h) => !/where seq > 0/.test(text) || Number(h.seq) > 0);
    },
  };
  const tx = {
    runInPlatformScope: async <T>(reason: string, work: (m: typeof manager) => Promise<T>) => {
      reasons.push(reason);
      return work(manager);
    },
  } as unknown as TenantTransaction;
  return { tx, reasons };
}

function fakeStore() {
  const appended: SignedCheckpoint[][] = [];
  let failNext = false;
  let gate: Promise<void> | undefined;
  const store: AuditAnchorStore = {
    append: async (checkpoints) => {
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('anchor store down');
      }
      appended.push([...checkpoints]);
    },
    latest: async () => ({ problems: [] }),
  };
  return {
    store,
    appended,
    failOnce: () => (failNext = true),
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('AuditCheckpoints', () => {
  const signer = new CheckpointSigner(new ChainKeyring({ id: 'k1', key: randomBytes(32) }));
  const config = { audit: { checkpointIntervalMs: INTERVAL_MS } } as AppConfig;
  let heads: Head[];
  let db: ReturnType<typeof fakeHeads>;
  let anchors: ReturnType<typeof fakeStore>;
  let service: AuditCheckpoints;
  let scheduled: ReturnType<typeof fakeScheduled>;
  let logged: jest.SpyInstance;
  let errors: jest.SpyInstance;

  beforeEach(() => {
    heads = [
      { chainId: ORG, seq: '7', hash: 'a'.repeat(64), keyedFrom: '3' },
      { chainId: VENDOR, seq: '2', hash: 'b'.repeat(64), keyedFrom: null },
      { chainId: 'platform', seq: '0', hash: '0'.repeat(64), keyedFrom: null },
    ];
    db = fakeHeads(heads);
    anchors = fakeStore();
    scheduled = fakeScheduled();
    service = new AuditCheckpoints(db.tx, signer, anchors.store, config, scheduled.jobs);
    logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('signs the head of every chain with rows, in platform scope, and writes them to the anchor store', async () => {
    const written = await service.checkpointAll();
    expect(db.reasons).toHaveLength(1);
    expect(db.reasons[0]).toMatch(/checkpoint/);
    expect(written.map(({ chainId, seq, hash, keyedFrom }) => ({ chainId, seq, hash, keyedFrom }))).toEqual([
      { chainId: ORG, seq: 7, hash: 'a'.repeat(64), keyedFrom: 3 },
      { chainId: VENDOR, seq: 2, hash: 'b'.repeat(64), keyedFrom: null },
    ]);
    for (const c of written) {
      expect(signer.verify(c)).toBe(true);
      expect(c.keyId).toBe('k1');
      expect(Date.parse(c.at)).not.toBeNaN();
    }
    expect(anchors.appended).toEqual([written]);
  });

  it('checkpoints again only the chains whose head moved since', async () => {
    await service.checkpointAll();
    await expect(service.checkpointAll()).resolves.toEqual([]);
    heads[1] = { ...heads[1], seq: '3', hash: 'c'.repeat(64) };
    heads[0] = { ...heads[0], hash: 'd'.repeat(64) };
    const moved = await service.checkpointAll();
    expect(moved.map((c) => [c.chainId, c.seq])).toEqual([
      [ORG, 7],
      [VENDOR, 3],
    ]);
  });

  it('registers one queue job scheduler with the configured period, whose runs checkpoint and log what they wrote', async () => {
    service.onModuleInit();
    expect(scheduled.registered).toEqual([{ id: 'audit-checkpoints', everyMs: INTERVAL_MS }]);
    await expect(scheduled.run('audit-checkpoints')).resolves.toBe(2);
    expect(anchors.appended).toHaveLength(1);
    expect(logged).toHaveBeenCalledWith({ checkpoints: 2 }, expect.stringMatching(/checkpoint/));
    logged.mockClear();
    await expect(scheduled.run('audit-checkpoints')).resolves.toBe(0);
    expect(logged).not.toHaveBeenCalled();
  });

  it('logs a failed run and checkpoints at the next one', async () => {
    service.onModuleInit();
    anchors.failOnce();
    await expect(scheduled.run('audit-checkpoints')).resolves.toBe(0);
    expect(errors).toHaveBeenCalledWith({ err: expect.objectContaining({ message: 'anchor store down' }) }, expect.stringMatching(/checkpoint/));
    expect(anchors.appended).toHaveLength(0);
    await expect(scheduled.run('audit-checkpoints')).resolves.toBe(2);
    expect(anchors.appended).toHaveLength(1);
  });
});

/** ScheduledJobs as the service sees it: what it registered, and a way to run a registered job as the queue would. */
function fakeScheduled() {
  const handlers = new Map<string, () => Promise<unknown>>();
  const registered: { id: string; everyMs: number }[] = [];
  const jobs = {
    register: (id: string, everyMs: number, handler: () => Promise<unknown>) => {
      registered.push({ id, everyMs });
      handlers.set(id, handler);
    },
  } as unknown as ScheduledJobs;
  return { jobs, registered, run: (id: string) => handlers.get(id)!() };
}
