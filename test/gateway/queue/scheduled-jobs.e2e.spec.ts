import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { AuditCheckpoints } from '@gateway/audit/anchor/audit-checkpoints.service';
import { AuditMaintenance } from '@gateway/audit/jobs/audit-maintenance.service';
import { loadConfig } from '@gateway/config/app-config';
import { createApp } from '@gateway/create-app';
import { ExpiryService } from '@gateway/expiry/expiry.service';
import { IdempotencyRepository } from '@gateway/idempotency/idempotency.repository';
import { JobQueue } from '@gateway/queue/job-queue';
import { MAINTENANCE_QUEUE } from '@gateway/queue/scheduled-jobs.service';
import { RATE_LIMIT_STORE } from '@gateway/rate-limit/rate-limit.types';
import type { PostgresRateLimitStore } from '@gateway/rate-limit/postgres-rate-limit.store';
import { testAppEnv } from '../../support/gateway-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/** The periodic tasks that used to be one `setInterval` per instance, by scheduler id, with their production period. */
const TASKS = {
  'idempotency-purge': 10 * 60_000,
  'rate-limit-purge': 5 * 60_000,
  'credential-expiry-sweep': 60 * 60_000,
  'audit-maintenance': 24 * 60 * 60_000,
  // AUDIT_CHECKPOINT_INTERVAL_MS (set below, not the 5-minute default, so the period is seen to come from the config).
  'audit-checkpoints': 120_000,
} as const;
type TaskId = keyof typeof TASKS;
/** The features' own schedulers on the same queue (their runs are tested with their features). */
const FEATURE_SCHEDULERS = {
  'bulk-jobs-wake': 30_000,
  'verification-jobs-retention': 60 * 60_000,
  'creation-jobs-retention': 60 * 60_000,
  'webhook-maintenance': 5 * 60_000,
} as const;

describe('scheduled work on the queue: two gateway instances on one database', () => {
  let db: TestDatabase;
  const apps: NestExpressApplication[] = [];
  const runs = Object.fromEntries(Object.keys(TASKS).map((id) => [id, [] as number[]])) as Record<TaskId, number[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ ...testAppEnv(), DATABASE_URL: db.appUrl, DATABASE_MIGRATION_URL: db.ownerUrl,
      AUDIT_CHECKPOINT_INTERVAL_MS: String(TASKS['audit-checkpoints']) });
    for (let i = 0; i < 2; i++) {
      const app = await createApp(config);
      apps.push(app);
      const record = (id: TaskId) => () => {
        runs[id].push(Date.now());
        return Promise.resolve(undefined as never);
      };
      jest.spyOn(app.get(IdempotencyRepository), 'purgeExpired').mockImplementation(record('idempotency-purge'));
      jest.spyOn(app.get<PostgresRateLimitStore>(RATE_LIMIT_STORE), 'purgeIdle').mockImplementation(record('rate-limit-purge'));
      jest.spyOn(app.get(ExpiryService), 'sweep').mockImplementation(record('credential-expiry-sweep'));
      jest.spyOn(app.get(AuditMaintenance), 'runDaily').mockImplementation(record('audit-maintenance'));
      jest.spyOn(app.get(AuditCheckpoints), 'checkpointAll').mockImplementation(record('audit-checkpoints'));
    }
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });

  it('registers one scheduler per task, with its period, whatever the number of instances', async () => {
    const client = new Client({ connectionString: db.ownerUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ scheduler_id: string; every_ms: string }>(
        `select scheduler_id, every_ms from bullmq.scheduler where queue = $1 order by scheduler_id`,
        [MAINTENANCE_QUEUE],
      );
      expect(Object.fromEntries(rows.map((r) => [r.scheduler_id, Number(r.every_ms)]))).toEqual({ ...TASKS, ...FEATURE_SCHEDULERS });
    } finally {
      await client.end();
    }
  });

  it('runs each task once per period across both instances', async () => {
    // The production periods are minutes to a day; the same schedulers, re-upserted by both instances with 1 s.
    const period = 1000;
    for (const id of Object.keys(TASKS)) {
      await Promise.all(apps.map((app) => app.get(JobQueue).schedule(MAINTENANCE_QUEUE, id, period, id)));
    }
    for (const id of Object.keys(TASKS) as TaskId[]) runs[id].length = 0;
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 4500));
    const periods = Math.ceil((Date.now() - started) / period) + 1;
    for (const id of Object.keys(TASKS) as TaskId[]) {
      const times = [...runs[id]].sort((a, b) => a - b);
      expect({ id, enough: times.length >= 2 }).toEqual({ id, enough: true });
      expect(times.length).toBeLessThanOrEqual(periods);
      // Two instances each running the task would show pairs a few ms apart.
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan(period / 2);
    }
  });
});
