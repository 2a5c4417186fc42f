import request from 'supertest';
import { asVendorId } from '@gateway/database/vendor-id';
import { VerificationJobRepository } from '@gateway/verification-jobs/verification-job.repository';
import { CreationPumps } from '@gateway/creation-jobs/creation-pumps.service';
import { VerificationPumps } from '@gateway/verification-jobs/verification-pumps.service';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { MARYAM } from '../usi/support/usi-requests';

/** An API-only instance: jobs are accepted and queued, nothing is sent, so the claims below are the test's own. */
describe('verification jobs: upstream fairness and crash safety (ROLE=api, claims made by the test)', () => {
  let env: UsiTestEnv;
  let repo: VerificationJobRepository;
  const LEASE_MS = 60_000;

  beforeAll(async () => {
    env = await createUsiTestEnv({ ROLE: 'api', JOBS_UPSTREAM_CONCURRENCY: '2' });
    repo = env.gw.app.get(VerificationJobRepository);
  }, 60_000);
  afterAll(() => env?.close());

  const submit = async (orgCode: string, key: string, rows: number) => {
    const body = JSON.stringify(Array.from({ length: rows }, (_, i) => ({ recordId: `r${i}`, ...MARYAM })));
    const res = await request(env.gw.http)
      .post(`/v1/organisations/${orgCode}/verification-jobs`)
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', `fair-${orgCode}-${rows}`)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(202);
    return res.body.job.id as string;
  };

  it('shares a vendor’s batches round-robin across its organisations, with at most JOBS_UPSTREAM_CONCURRENCY pumps queued', async () => {
    const vendor = await env.newVendor();
    const a = (await env.newOrganisation(vendor)).organisation;
    const b = (await env.newOrganisation(vendor)).organisation;
    const key = await env.newKey(vendor);
    const big = await submit(a.orgCode, key, 1500);
    const small = await submit(b.orgCode, key, 500);
    const vendorId = asVendorId(vendor.id);
    const claimed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = await repo.claimNext(vendorId, 'sim', LEASE_MS);
      claimed.push(batch ? `${batch.jobId === big ? 'A' : batch.jobId === small ? 'B' : '?'}${batch.batchNo}` : 'none');
    }
    // B's one batch goes second, not after A's three.
    expect(claimed).toEqual(['A1', 'B1', 'A2', 'A3', 'none']);

    // One cap for all the vendor's job traffic: waking the pumps for creation jobs too adds none.
    await env.gw.app.get(VerificationPumps).wake(vendorId, 'sim');
    await env.gw.app.get(CreationPumps).wake(vendorId, 'sim');
    const pumps = await queryAs<{ id: string }>(env.gw.db.ownerUrl, `select id from bullmq.job where data->>'vendorId' = $1`, [vendor.id]);
    expect(pumps.map((p) => p.id).sort()).toEqual([`pump-${vendor.id}-sim-0`, `pump-${vendor.id}-sim-1`]);
  });

  it('a batch whose worker died is claimed again only after its lease, and its answer is counted once', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    const jobId = await submit(organisation.orgCode, key, 3);
    const vendorId = asVendorId(vendor.id);
    const first = await repo.claimNext(vendorId, 'sim', LEASE_MS);
    expect(first).toMatchObject({ jobId, batchNo: 1, attempts: 1 });
    // The worker "dies" here. While its lease runs nobody else takes the batch.
    expect(await repo.claimNext(vendorId, 'sim', LEASE_MS)).toBeUndefined();
    await queryAs(env.gw.db.ownerUrl, `update verification_job_batches set lease_until = now() - interval '1 second' where job_id = $1`, [jobId]);
    const again = await repo.claimNext(vendorId, 'sim', LEASE_MS);
    expect(again).toMatchObject({ jobId, batchNo: 1, attempts: 2 });

    const sealed = { provider: 'x', keyId: 'x', wrappedDataKey: '', iv: '', tag: '', ciphertext: '', alg: 'AES-256-GCM' as const };
    const outcome = { answered: 3, failedRows: 0, outcomes: { Valid: 3 } };
    expect(await repo.finishBatch(vendorId, jobId, 1, sealed, outcome)).toMatchObject({ stored: true });
    expect(await repo.finishBatch(vendorId, jobId, 1, sealed, outcome)).toEqual({ stored: false });
    const [job] = await queryAs<{ state: string; answered: number; outcome_counts: Record<string, number> }>(
      env.gw.db.ownerUrl,
      `select state, answered, outcome_counts from verification_jobs where id = $1`,
      [jobId],
    );
    expect(job).toEqual({ state: 'completed', answered: 3, outcome_counts: { Valid: 3 } });
  });

  it('a cancelled job’s batches are not claimed', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    const jobId = await submit(organisation.orgCode, key, 2);
    const res = await request(env.gw.http)
      .delete(`/v1/organisations/${organisation.orgCode}/verification-jobs/${jobId}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(200);
    expect(res.body.state).toBe('cancelled');
    expect(await repo.claimNext(asVendorId(vendor.id), 'sim', LEASE_MS)).toBeUndefined();
  });
});
