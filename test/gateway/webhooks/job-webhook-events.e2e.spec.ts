import request from 'supertest';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { MARYAM } from '../usi/support/usi-requests';
import { startReceiver, TestReceiver, until, verifiesWith } from './support/test-receiver';

/** verification_job.completed and verification_job.failed, end to end: job → worker → event → signed delivery. */
describe('verification job webhook events', () => {
  let env: UsiTestEnv;
  let receiver: TestReceiver;
  let key: string;
  let orgCode: string;
  let secret: string;
  let seq = 0;

  beforeAll(async () => {
    receiver = await startReceiver();
    env = await createUsiTestEnv({ WEBHOOK_ALLOW_LOOPBACK: 'true', RATE_LIMIT_ORG_PER_MINUTE: '100000' });
    const vendor = await env.newVendor();
    orgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    key = await env.newKey(vendor, ['usi:verify']);
    const admin = await env.newKey(vendor, ['admin']);
    const endpoint = await request(env.gw.http)
      .post('/v1/webhooks/endpoints')
      .set('Authorization', `Bearer ${admin}`)
      .send({ url: `${receiver.base}/verification`, eventTypes: ['verification_job.completed', 'verification_job.failed'], description: 'jobs' })
      .expect(201);
    secret = endpoint.body.secret;
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    await receiver?.close();
  });

  const start = async (records: object[]) =>
    (
      await request(env.gw.http)
        .post(`/v1/organisations/${orgCode}/verification-jobs`)
        .set('Authorization', `Bearer ${key}`)
        .set('Idempotency-Key', `wh-${++seq}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(records))
        .expect(202)
    ).body.job.id as string;
  const eventFor = async (jobId: string) => {
    const find = () => receiver.at('/verification').find((r) => JSON.parse(r.body).data.jobId === jobId);
    await until(() => find() !== undefined, 60_000);
    const delivery = find()!;
    expect(verifiesWith(secret, delivery.headers, delivery.body)).toBe(true);
    return { body: delivery.body, event: JSON.parse(delivery.body) };
  };

  it('a completed job: verification_job.completed with ids, counts and links, no personal data', async () => {
    const jobId = await start([{ recordId: 'v-1', ...MARYAM }, { recordId: 'v-2', ...MARYAM }, { recordId: 'v-3', usi: 'XXXX' }]);
    const { body, event } = await eventFor(jobId);
    expect(event).toMatchObject({
      type: 'verification_job.completed',
      data: {
        jobId,
        orgCode,
        state: 'completed',
        counts: { total: 3, willSend: 2, cannotSend: 1, answered: 2, failed: 0, Valid: 2 },
        links: { self: `/v1/organisations/${orgCode}/verification-jobs/${jobId}`, results: `/v1/organisations/${orgCode}/verification-jobs/${jobId}/results` },
      },
    });
    for (const personal of [MARYAM.familyName, MARYAM.firstName, MARYAM.usi, MARYAM.dateOfBirth]) expect(body).not.toContain(personal);
  }, 90_000);

  it('a job whose every batch the registry refuses: verification_job.failed, once', async () => {
    env.sim.admin.setFaults({ operations: { BulkVerifyUSI: { errorRate: 1, errorCode: 1002 } } });
    try {
      const jobId = await start([{ recordId: 'f-1', ...MARYAM }]);
      const { event } = await eventFor(jobId);
      expect(event).toMatchObject({ type: 'verification_job.failed', data: { jobId, state: 'failed', counts: { answered: 0, failed: 1 } } });
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.at('/verification').filter((r) => JSON.parse(r.body).data.jobId === jobId)).toHaveLength(1);
    } finally {
      env.sim.admin.clearFaults();
    }
  }, 90_000);
});
