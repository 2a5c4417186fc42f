import { Logger } from '@nestjs/common';
import request from 'supertest';
import { BulkPumps } from '@gateway/jobs/bulk-pumps.service';
import { JobQueue } from '@gateway/queue/job-queue';
import { QueueUnavailableError } from '@gateway/queue/queue-unavailable.error';
import { ScheduledJobs } from '@gateway/queue/scheduled-jobs.service';
import { dropQueueBackendKeys, queueBackendEnv, REDIS_TEST_URL } from '../../support/queue-backends';
import { startTcpProxy, TcpProxy } from '../../support/tcp-proxy';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { MARYAM } from '../usi/support/usi-requests';
import { startReceiver, TestReceiver, until } from '../webhooks/support/test-receiver';

const ROWS = 1200;
/** The job under way when Redis goes. */
const RUNNING_ROWS = 4000;
const BATCHES = Math.ceil(ROWS / 500);
/** The bulk jobs' periodic wake-up (jobs/bulk-pumps.service.ts). */
const WAKE_EVERY_MS = 30_000;
/**
 * What a request that touches the queue may take while Redis is unreachable: the queue's deadline (3 s), the Redis
 * rate limiter's (1 s, when its lease is used up) and slack for a busy machine.
 */
const ANSWER_WITHIN_MS = 6_000;

/**
 * The queue on Redis, reached through a TCP proxy that makes Redis unreachable (every connection cut, new ones closed
 * at once) without touching the shared server. While it is away: a job upload and a webhook-triggering action are
 * (and a redelivery) answered in bounded time, the process stays up and readiness says the queue is down. Once it is back: the job
 * completes with every row answered once, and the webhook is delivered. And with Redis back empty, a job whose wake
 * never reached the queue at all is started by the periodic wake, with nothing held in the process's memory.
 */
describe('chaos: Redis unreachable under the queue (REDIS_URL set)', () => {
  let proxy: TcpProxy;
  let env: UsiTestEnv;
  let receiver: TestReceiver;
  let queueEnv: Record<string, string>;
  let orgCode: string;
  let jobKey: string;
  /** Another vendor, whose job is under way when Redis goes (pumps are per vendor). */
  let runningOrgCode: string;
  let runningKey: string;
  let adminKey: string;
  let otherOrgCode: string;
  let endpointId: string;
  let keySeq = 0;

  beforeAll(async () => {
    const target = new URL(REDIS_TEST_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    receiver = await startReceiver();
    queueEnv = queueBackendEnv('redis', 'redis_outage');
    env = await createUsiTestEnv({
      ...queueEnv,
      REDIS_URL: proxy.rewrite(queueEnv.REDIS_URL),
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      JOBS_UPSTREAM_CONCURRENCY: '2',
      RATE_LIMIT_ORG_PER_MINUTE: '100000',
      RATE_LIMIT_VENDOR_PER_MINUTE: '100000',
    });
    const vendor = await env.newVendor();
    orgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    jobKey = await env.newKey(vendor);
    adminKey = await env.newKey(vendor, ['admin']);
    otherOrgCode = (await env.gw.newOrganisation(vendor.id)).orgCode;
    const runningVendor = await env.newVendor();
    runningOrgCode = (await env.newOrganisation(runningVendor)).organisation.orgCode;
    runningKey = await env.newKey(runningVendor);
    endpointId = (
      await request(env.gw.http)
        .post('/v1/webhooks/endpoints')
        .set('Authorization', `Bearer ${adminKey}`)
        .send({ url: `${receiver.base}/hook`, eventTypes: ['authorisation.revoked'] })
        .expect(201)
    ).body.id;
  }, 60_000);

  afterAll(async () => {
    proxy?.unblock();
    await env?.close();
    await receiver?.close();
    await proxy?.close();
    if (queueEnv) await dropQueueBackendKeys(queueEnv);
  }, 60_000);

  const jobs = (org = orgCode) => `/v1/organisations/${org}/verification-jobs`;
  const postJob = (rows: number, org = orgCode, key = jobKey) =>
    request(env.gw.http)
      .post(jobs(org))
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', `outage-${++keySeq}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(Array.from({ length: rows }, (_, i) => ({ recordId: `r-${i + 1}`, ...MARYAM }))));
  const getJob = (id: string, org = orgCode, key = jobKey) => request(env.gw.http).get(`${jobs(org)}/${id}`).set('Authorization', `Bearer ${key}`);
  const untilEnded = async (id: string, ms: number, org = orgCode, key = jobKey) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const job = (await getJob(id, org, key).expect(200)).body;
      if (job.state === 'completed' || job.state === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} not ended in ${ms} ms: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const newAuthorisation = async () =>
    (
      await request(env.gw.http)
        .post(`/v1/organisations/${otherOrgCode}/authorisations`)
        .set('Authorization', `Bearer ${adminKey}`)
        .send({ startDate: '2026-01-01' })
        .expect(201)
    ).body.id as string;
  const revoke = (id: string) =>
    request(env.gw.http).post(`/v1/organisations/${otherOrgCode}/authorisations/${id}/revoke`).set('Authorization', `Bearer ${adminKey}`);
  const timed = async <T>(p: PromiseLike<T>): Promise<{ res: T; ms: number }> => {
    const started = Date.now();
    const res = await p;
    return { res, ms: Date.now() - started };
  };

  it('Redis away: a job upload, a revocation and a redelivery are answered in bounded time, the process stays up; Redis back: both jobs done, every row once, webhook delivered', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    // The queue's connections are up and its workers idle: a small job goes through first.
    const warm = await postJob(2).expect(202);
    expect((await untilEnded(warm.body.job.id, 20_000)).state).toBe('completed');
    // A delivery that succeeded before the outage, to be redelivered during it.
    const earlier = await newAuthorisation();
    await revoke(earlier).expect(200);
    await until(() => receiver.at('/hook').length === 1, 20_000);
    const deliveries = await request(env.gw.http).get(`/v1/webhooks/endpoints/${endpointId}/deliveries`).set('Authorization', `Bearer ${adminKey}`).expect(200);
    const delivered = deliveries.body.items[0].id as string;
    await until(async () => {
      const list = await request(env.gw.http).get(`/v1/webhooks/endpoints/${endpointId}/deliveries`).set('Authorization', `Bearer ${adminKey}`);
      return list.body.items[0].status === 'succeeded';
    });
    receiver.received.length = 0;
    const revoked = await newAuthorisation();
    env.counted();

    // A job under way when Redis goes: two pumps (JOBS_UPSTREAM_CONCURRENCY=2), each batch ~1 s upstream.
    env.sim.admin.setFaults({ operations: { BulkVerifyUSI: { latency: { fixedMs: 1_000 } } } });
    const running = (await postJob(RUNNING_ROWS, runningOrgCode, runningKey).expect(202)).body.job.id as string;
    await new Promise((r) => setTimeout(r, 1_500));

    proxy.block();
    const cutAt = Date.now();
    // At once, so the outage stays short (the clients' reconnection backoff grows with it).
    const [job, revocation, redelivery, ready, live] = await Promise.all([
      timed(postJob(ROWS)),
      timed(revoke(revoked)),
      timed(request(env.gw.http).post(`/v1/webhooks/endpoints/${endpointId}/deliveries/${delivered}/redeliver`).set('Authorization', `Bearer ${adminKey}`)),
      request(env.gw.http).get('/health/ready'),
      request(env.gw.http).get('/health/live'),
    ]);
    const stored = (await getJob(job.res.body.job.id).expect(200)).body;
    const runningDuringOutage = (await getJob(running, runningOrgCode, runningKey).expect(200)).body;
    const outageMs = Date.now() - cutAt;
    // The queue's clients report each failed reconnection (tens in these seconds): one line per kind per 10 s.
    const connectionWarnings = warn.mock.calls.filter(([m]) => ['queue connection error', 'queue worker error'].includes((m as { msg?: string })?.msg ?? ''));
    expect(connectionWarnings.length).toBeLessThanOrEqual(2 * Math.ceil(outageMs / 10_000));
    proxy.unblock();
    const restoredAt = Date.now();

    // The job is stored before the queue is asked: accepted, answered within the queue's deadline.
    expect({ status: job.res.status, state: job.res.body.job?.state, bounded: job.ms < ANSWER_WITHIN_MS }).toEqual({ status: 202, state: 'queued', bounded: true });
    // Stored and waiting: no pump of this vendor runs, and none can be started while the queue is away.
    expect(stored).toMatchObject({ state: 'queued', counts: { willSend: ROWS }, batches: { done: 0 } });
    // The other vendor's pump, already running, goes on through Postgres: it needs the queue only to end.
    expect(runningDuringOutage.batches.done).toBeGreaterThan(0);
    // The revocation is committed, its webhook delivery recorded: 200, within the queue's deadline. The redelivery is
    // recorded (the delivery is pending again): 202.
    expect({ status: revocation.res.status, state: revocation.res.body.status, bounded: revocation.ms < ANSWER_WITHIN_MS }).toEqual({ status: 200, state: 'revoked', bounded: true });
    expect({ status: redelivery.res.status, bounded: redelivery.ms < ANSWER_WITHIN_MS }).toEqual({ status: 202, bounded: true });
    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.queue).toMatchObject({ status: 'down', backend: 'redis' });
    // One warn line per request for the queue, ids and the code only: no stack, no row data.
    const queueWarnings = warn.mock.calls.filter(([m]) => JSON.stringify(m).includes('queue unavailable'));
    const byMsg = (text: string) => queueWarnings.filter(([m]) => (m as { msg: string }).msg.includes(text)).map(([m]) => m);
    expect(queueWarnings).toHaveLength(3);
    expect(byMsg('job stored, its pumps not woken')).toEqual([{ msg: expect.any(String), jobId: job.res.body.job.id, code: 'queue.unavailable' }]);
    expect(byMsg('webhook deliveries recorded, not queued')).toEqual([{ msg: expect.any(String), type: 'authorisation.revoked', code: 'queue.unavailable' }]);
    expect(byMsg('redelivery recorded, not queued')).toEqual([{ msg: expect.any(String), deliveryId: delivered, code: 'queue.unavailable' }]);
    expect(JSON.stringify(queueWarnings)).not.toContain(MARYAM.familyName);
    expect(queueWarnings.flat().some((a) => a instanceof Error)).toBe(false);

    // Redis back: both jobs end, each batch sent once (the simulator's count), every row answered once.
    const [doneRunning, done] = [await untilEnded(running, 40_000, runningOrgCode, runningKey), await untilEnded(job.res.body.job.id, 40_000)];
    const recoveredMs = Date.now() - restoredAt;
    expect(doneRunning).toMatchObject({ state: 'completed', counts: { answered: RUNNING_ROWS, failed: 0 } });
    expect(done).toMatchObject({ state: 'completed', counts: { answered: ROWS, failed: 0 } });
    expect(env.counted().usi.BulkVerifyUSI).toBe(Math.ceil(RUNNING_ROWS / 500) + BATCHES);
    for (const [id, rows, org, key] of [[running, RUNNING_ROWS, runningOrgCode, runningKey], [job.res.body.job.id, ROWS, orgCode, jobKey]] as const) {
      const results = await request(env.gw.http).get(`${jobs(org)}/${id}/results?format=json`).set('Authorization', `Bearer ${key}`).expect(200);
      expect(results.body.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
      expect(results.body.filter((r: { outcome: string }) => r.outcome !== 'answered')).toEqual([]);
    }
    // The revocation's webhook and the redelivery, queued once Redis answered again: each once.
    await until(() => receiver.at('/hook').length >= 2, 20_000);
    const deliveredMs = Math.max(...receiver.at('/hook').map((r) => r.at)) - restoredAt;
    await new Promise((r) => setTimeout(r, 1_000));
    const bodies = receiver.at('/hook').map((r) => JSON.parse(r.body) as { type: string; data: { authorisationId: string } });
    expect(bodies.map((b) => b.data.authorisationId).sort()).toEqual([earlier, revoked].sort());
    expect(bodies.every((b) => b.type === 'authorisation.revoked')).toBe(true);
    // eslint-disable-next-line no-console
    console.log(`redis-outage: job POST ${job.ms} ms, revoke ${revocation.ms} ms, redeliver ${redelivery.ms} ms while Redis away; jobs done ${recoveredMs} ms, webhooks ${deliveredMs} ms after it was back`);
    warn.mockRestore();
  }, 60_000);

  it('Redis back empty (restarted without persistence): the schedulers are registered again, and the periodic wake starts a stored job whose wake was lost', async () => {
    env.sim.admin.clearFaults();
    env.counted();
    // This run's keys gone, as if Redis had restarted empty: the schedulers with them. Every instance upserts them again
    // every 5 minutes (ScheduledJobs.registerAll, on a timer); called here instead of waiting for it.
    await dropQueueBackendKeys(queueEnv);
    await env.gw.app.get(ScheduledJobs).registerAll();
    // The job's pump adds fail as after a restart that dropped the abandoned adds: nothing of it is in the queue.
    const add = jest.spyOn(env.gw.app.get(JobQueue), 'add').mockRejectedValueOnce(new QueueUnavailableError()).mockRejectedValueOnce(new QueueUnavailableError());
    const accepted = await postJob(2).expect(202);
    expect(add).toHaveBeenCalledTimes(2);
    add.mockRestore();
    const wakeAll = jest.spyOn(env.gw.app.get(BulkPumps), 'wakeAll');
    const started = Date.now();
    const done = await untilEnded(accepted.body.job.id, WAKE_EVERY_MS + 5_000);
    expect(done).toMatchObject({ state: 'completed', counts: { answered: 2, failed: 0 } });
    expect(env.counted().usi.BulkVerifyUSI).toBe(1);
    expect(wakeAll).toHaveBeenCalled();
    wakeAll.mockRestore();
    // eslint-disable-next-line no-console
    console.log(`redis-outage: job started by the periodic wake after ${Date.now() - started} ms`);
  }, WAKE_EVERY_MS + 15_000);
});
