import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { GatewayProcess } from '../chaos/support/gateway-process';
import { dropQueueBackendKeys, QUEUE_BACKENDS, queueBackendEnv } from '../../support/queue-backends';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

/**
 * A creation job's worker is killed (SIGKILL, a real process) after BulkUpload answered and before BulkUploadRetrieve
 * did; a second worker finishes the job by polling the stored receipt. The API runs in the test (ROLE=api, no
 * processors); the workers are `node dist/apps/gateway/src/main.js` with ROLE=worker on the same database.
 * Needs `npm run build` first (as the chaos suites do).
 */
describe.each(QUEUE_BACKENDS)('creation job: a worker killed between upload and retrieve (%s queue backend)', (backend) => {
  const masterKey = randomBytes(32).toString('base64');
  // The API here and the workers below share one queue (names and, on Redis, keys of this run only).
  const queue = queueBackendEnv(backend, 'cjr');
  let env: UsiTestEnv;
  let key: string;
  let orgCode: string;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    env = await createUsiTestEnv({ ...queue, ROLE: 'api', MASTER_KEY: masterKey, USI_TIMEOUT_MS: '8000', RATE_LIMIT_ORG_PER_MINUTE: '100000' });
    const vendor = await env.newVendor();
    orgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    key = await env.newKey(vendor, ['usi:write']);
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await env?.close();
    await dropQueueBackendKeys(queue);
  });

  const startWorker = async () => {
    const worker = await GatewayProcess.start({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      ROLE: 'worker',
      USI_ENV: 'sim',
      USI_SIM_URL: env.sim.url,
      USI_TIMEOUT_MS: '8000',
      DATABASE_URL: env.gw.db.appUrl,
      DATABASE_MIGRATION_URL: env.gw.db.ownerUrl,
      MASTER_KEY: masterKey,
      JOBS_UPSTREAM_CONCURRENCY: '1',
      REDIS_URL: undefined,
      ...queue,
    });
    workers.push(worker);
    return worker;
  };
  const owner = <T>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);
  const receipts = (jobId: string) =>
    owner<{ batch_no: number; receipt_number: string | null }>(
      `select batch_no, receipt_number from creation_job_batches where job_id = $1 order by batch_no`,
      [jobId],
    );

  it('resumes polling the stored receipts: no batch with a receipt is uploaded again, every row gets one USI', async () => {
    const rows = Array.from({ length: 700 }, (_, i) => ({
      recordId: `k-${i + 1}`,
      dvsCheckRequired: true,
      userReference: `k-${i + 1}`,
      personalDetails: {
        gender: 'M',
        firstName: 'Killtest',
        familyName: `Zk${randomBytes(6).toString('hex').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)])}`,
        dateOfBirth: '1988-08-08',
        countryOfBirthCode: '1101',
        townCityOfBirth: 'Hobart',
        isPreferredName: false,
      },
      contactDetails: { countryOfResidenceCode: '1101' },
      dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111' },
    }));
    expect(env.gw.config.queue).toMatchObject({ backend, prefix: queue.QUEUE_PREFIX });
    env.counted();
    const first = await startWorker();
    const created = await request(env.gw.http)
      .post(`/v1/organisations/${orgCode}/creation-jobs`)
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', 'kill-1')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(rows))
      .expect(202);
    const jobId = created.body.job.id as string;
    expect(created.body.job.batches.total).toBe(2);

    // Killed as soon as a receipt is on record: its batch has been uploaded and not yet retrieved (the simulator holds
    // results back for 2 s, and the first poll comes 1 s after the upload).
    const deadline = Date.now() + 60_000;
    let atKill = await receipts(jobId);
    while (!atKill.some((b) => b.receipt_number)) {
      if (Date.now() > deadline) throw new Error(`no receipt stored in time\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 25));
      atKill = await receipts(jobId);
    }
    await first.stop();
    // Read again once the worker is dead: it may have stored the next batch's receipt after the read above.
    atKill = await receipts(jobId);
    const before = env.counted().usi;
    const [{ answered }] = await owner<{ answered: string }>(`select count(*) as answered from creation_job_batches where job_id = $1 and result is not null`, [jobId]);
    expect(Number(answered)).toBe(0); // killed between upload and retrieve
    expect(before.BulkUpload).toBeGreaterThanOrEqual(1);

    await startWorker();
    let job: { state: string; counts: { answered: number; failed: number } } | undefined;
    for (let i = 0; i < 600 && !['completed', 'failed'].includes(job?.state ?? ''); i++) {
      await new Promise((r) => setTimeout(r, 250));
      job = (await request(env.gw.http).get(`/v1/organisations/${orgCode}/creation-jobs/${jobId}`).set('Authorization', `Bearer ${key}`)).body;
    }
    expect(job).toMatchObject({ state: 'completed', counts: { answered: 700, failed: 0 } });

    const after = env.counted().usi;
    const withReceipt = atKill.filter((b) => b.receipt_number);
    // Only batches without a receipt at the kill are uploaded again (with the same RequestId); the others only polled.
    expect(after.BulkUpload ?? 0).toBe(atKill.length - withReceipt.length);
    expect(after.BulkUploadRetrieve).toBeGreaterThanOrEqual(withReceipt.length);
    const final = await receipts(jobId);
    for (const b of withReceipt) expect(final.find((f) => f.batch_no === b.batch_no)!.receipt_number).toBe(b.receipt_number);
    expect(new Set(final.map((b) => b.receipt_number)).size).toBe(2);

    const results = await request(env.gw.http)
      .get(`/v1/organisations/${orgCode}/creation-jobs/${jobId}/results?format=json`)
      .set('Authorization', `Bearer ${key}`)
      .expect(200);
    const usis = results.body.map((r: { usi: string | null }) => r.usi);
    expect(usis.every((u: string | null) => typeof u === 'string')).toBe(true);
    expect(new Set(usis).size).toBe(700);
    expect(results.body.every((r: { result: string }) => r.result === 'Success')).toBe(true);
  }, 240_000);
});
