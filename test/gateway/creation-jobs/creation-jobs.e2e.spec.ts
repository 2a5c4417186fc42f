import request from 'supertest';
import { DVS_DOCUMENT_TYPES } from '@usi/contract';
import { CREATION_CSV_COLUMNS } from '@gateway/creation-jobs/creation-row.validator';
import { parseInput } from '@gateway/jobs/job-input.parser';
import { dropQueueBackendKeys, QUEUE_BACKENDS, queueBackendEnv } from '../../support/queue-backends';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { startReceiver, TestReceiver, until as untilTrue, verifiesWith } from '../webhooks/support/test-receiver';

/** A new person per call (the simulator creates a USI for an identity it does not know), passport checked. */
let personSeq = 0;
const letters = (n: number) => n.toString(26).split('').map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('');
function application(recordId: string) {
  personSeq += 1;
  return {
    recordId,
    dvsCheckRequired: true,
    userReference: recordId,
    personalDetails: {
      gender: 'F',
      firstName: 'Bulkfirst',
      familyName: `Zq${letters(personSeq + 7_000)}${letters(Math.floor(Math.random() * 1e6))}`,
      dateOfBirth: '1990-02-03',
      countryOfBirthCode: '1101',
      townCityOfBirth: 'Canberra',
      isPreferredName: false,
    },
    contactDetails: { countryOfResidenceCode: '1101', emailAddress: 'bulk.student@example.com.au' },
    dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111' },
  };
}

describe.each(QUEUE_BACKENDS)('bulk creation jobs (gateway → queue worker → BulkUpload / BulkUploadRetrieve on the simulator; %s queue backend)', (backend) => {
  let env: UsiTestEnv;
  let receiver: TestReceiver;
  let key: string;
  let adminKey: string;
  let orgCode: string;
  let vendorId: string;
  let verifyOnlyKey: string;
  let keySeq = 0;
  const queue = queueBackendEnv(backend, 'cj');

  beforeAll(async () => {
    receiver = await startReceiver();
    env = await createUsiTestEnv({
      ...queue,
      RATE_LIMIT_ORG_PER_MINUTE: '100000',
      RATE_LIMIT_VENDOR_PER_MINUTE: '100000',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      // A 500-application upload takes seconds on a loaded CI machine; a timed-out upload would be sent again (same RequestId).
      USI_TIMEOUT_MS: '30000',
    });
    const vendor = await env.newVendor();
    vendorId = vendor.id;
    const { organisation } = await env.newOrganisation(vendor);
    orgCode = organisation.orgCode;
    key = await env.newKey(vendor, ['usi:write']);
    adminKey = await env.newKey(vendor, ['admin']);
    verifyOnlyKey = await env.newKey(vendor, ['usi:verify']);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    await receiver?.close();
    await dropQueueBackendKeys(queue);
  });

  const base = () => `/v1/organisations/${orgCode}/creation-jobs`;
  const post = (body: string, type: string, query = '') =>
    request(env.gw.http)
      .post(`${base()}${query}`)
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', `cjob-${++keySeq}`)
      .set('Content-Type', type)
      .send(body);
  const get = (path: string) => request(env.gw.http).get(path).set('Authorization', `Bearer ${key}`);
  const until = async (id: string, states: string[]) => {
    for (let i = 0; i < 600; i++) {
      const res = await get(`${base()}/${id}`).expect(200);
      if (states.includes(res.body.state)) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`job ${id} never reached ${states.join('/')}`);
  };
  const owner = <T>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);

  it('dryRun checks every application (CSV with dotted document columns) and sends nothing', async () => {
    env.counted();
    const future = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const header = 'recordId,dvsCheckRequired,userReference,personalDetails.gender,personalDetails.firstName,personalDetails.familyName,' +
      'personalDetails.dateOfBirth,personalDetails.countryOfBirthCode,personalDetails.townCityOfBirth,personalDetails.isPreferredName,' +
      'contactDetails.countryOfResidenceCode,contactDetails.emailAddress,dvsDocument.documentType,dvsDocument.documentNumber';
    const csv = [
      header,
      'c1,true,c1,F,Amelia,Quirke,1991-01-02,1101,Canberra,false,1101,a@example.com,Passport,X1111111',
      `c2,true,c2,F,Amelia,Quirke,${future},1101,Canberra,false,1101,a@example.com,Passport,X1111111`,
      'c1,true,c3,F,Amelia,Quirke,1991-01-02,1101,Canberra,false,1101,a@example.com,Passport,X1111111',
      'c4,true,c4,F,Amelia,Quirke,1991-01-02,1101,Canberra,false,1101,a@example.com,Passport,',
    ].join('\r\n');
    const res = await post(csv, 'text/csv', '?dryRun=true').expect(202);
    expect(res.body.job).toMatchObject({ state: 'validating', dryRun: true, counts: { total: 4, willSend: 1, cannotSend: 3 } });
    const reasons = Object.fromEntries(res.body.cannotSend.map((r: { row: number; reasons: string[] }) => [r.row, r.reasons.join(' ')]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4]);
    expect(reasons[2]).toMatch(/personalDetails\.dateOfBirth/);
    expect(reasons[3]).toContain('duplicate_record_id');
    expect(reasons[4]).toMatch(/dvsDocument/);
    expect(JSON.stringify(res.body)).not.toContain('Quirke');
    expect(env.counted().total).toBe(0);
    const [{ count }] = await owner<{ count: string }>(`select count(*) from creation_jobs`);
    expect(Number(count)).toBe(0);
  });

  it('the example served by the API has every column and a row per identity document type, and a dry run sends every row', async () => {
    const example = await request(env.gw.http).get('/docs/creation-jobs/example.csv').expect(200).expect('content-type', /text\/csv/);
    expect(example.text.split('\n')[0]).toBe(CREATION_CSV_COLUMNS.join(','));
    const rows = parseInput(example.text, 'csv', 100, CREATION_CSV_COLUMNS);
    // Every DVS document type, and a row without one (a non-DVS document).
    const types = rows.map((r) => r.fields?.['dvsDocument.documentType']);
    expect(new Set(types)).toEqual(new Set([...DVS_DOCUMENT_TYPES, undefined]));
    env.counted();
    // The documented example is an upload the job accepts as it is: every row "will send".
    const checked = await post(example.text, 'text/csv', '?dryRun=true').expect(202);
    expect(checked.body.cannotSend).toEqual([]);
    expect(checked.body.job).toMatchObject({ dryRun: true, counts: { total: rows.length, willSend: rows.length, cannotSend: 0 } });
    expect(env.counted().total).toBe(0);
  });

  it('needs an Idempotency-Key and the usi:write scope', async () => {
    const body = JSON.stringify([application('k-1')]);
    const missing = await request(env.gw.http).post(base()).set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(body);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('idempotency.key_required');
    const refused = await request(env.gw.http)
      .post(base())
      .set('Authorization', `Bearer ${verifyOnlyKey}`)
      .set('Idempotency-Key', 'x')
      .set('Content-Type', 'application/json')
      .send(body);
    expect(refused.status).toBe(403);
  });

  it('a 1,002-row job: 3 BulkUploads (never repeated), polled until ready, every row with its USI; receipts stored; event creation_job.completed', async () => {
    const endpoint = await request(env.gw.http)
      .post('/v1/webhooks/endpoints')
      .set('Authorization', `Bearer ${adminKey}`)
      .send({ url: `${receiver.base}/jobs`, eventTypes: ['creation_job.completed'], description: 'jobs' })
      .expect(201);
    expect(env.gw.config.queue).toMatchObject({ backend, prefix: queue.QUEUE_PREFIX });
    env.counted();
    const records = [...Array.from({ length: 1001 }, (_, i) => application(`a-${i + 1}`)), { recordId: 'bad', personalDetails: {} }];
    const created = await post(records.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson').expect(202);
    expect(created.body.job).toMatchObject({ state: 'queued', counts: { total: 1002, willSend: 1001, cannotSend: 1 }, batches: { total: 3 } });
    const id = created.body.job.id as string;

    const done = await until(id, ['completed', 'failed']);
    expect(done).toMatchObject({ state: 'completed', progress: 1, counts: { answered: 1001, failed: 0, byResult: { Success: 1001 } } });
    const calls = env.counted().usi;
    expect(calls.BulkUpload).toBe(3);

    const batches = await owner<{ receipt_number: string | null; polls: number; uploaded_at: Date; answered_at: Date }>(
      `select receipt_number, polls, uploaded_at, answered_at from creation_job_batches where job_id = $1 order by batch_no`,
      [id],
    );
    expect(batches).toHaveLength(3);
    for (const b of batches) {
      expect(b.receipt_number).toMatch(/^[0-9a-f-]{36}$/);
      expect(b.uploaded_at.getTime()).toBeLessThan(b.answered_at.getTime());
    }

    // Every retrieve is accounted for: one "still being processed" per recorded poll, then the one with the results.
    expect(calls.BulkUploadRetrieve).toBe(3 + batches.reduce((n, b) => n + b.polls, 0));

    const json = await get(`${done.links.results}?format=json`).expect(200);
    expect(json.body).toHaveLength(1002);
    expect(json.body.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: 1002 }, (_, i) => i + 1));
    expect(json.body[0]).toMatchObject({ row: 1, recordId: 'a-1', outcome: 'answered', result: 'Success', identityDocumentVerified: 'True' });
    const usis = json.body.filter((r: { usi: string | null }) => r.usi).map((r: { usi: string }) => r.usi);
    expect(new Set(usis).size).toBe(1001);
    expect(json.body[1001]).toMatchObject({ row: 1002, recordId: 'bad', outcome: 'not_sent', usi: null });
    const csv = await get(`${done.links.results}?format=csv`).expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('row,recordId,outcome,result,usi,identityDocumentVerified,reason');
    expect(lines).toHaveLength(1003);
    expect(lines[1]).toBe(`1,a-1,answered,Success,${usis[0]},True,`);

    // Inputs and results (names, created USIs) are sealed; the audit trail has each created USI as HMAC + mask only.
    const stored = await owner<{ text: string }>(
      `select coalesce(b.input::text, '') || coalesce(b.result::text, '') || coalesce(j.rejects::text, '') as text
         from creation_job_batches b join creation_jobs j on j.id = b.job_id where j.id = $1`,
      [id],
    );
    for (const { text } of stored) {
      expect(text).not.toContain('Bulkfirst');
      expect(text).not.toContain(usis[0]);
    }
    const issued = await owner<{ usi_masked: string; usi_hmac: string }>(
      `select usi_masked, usi_hmac from audit_events where vendor_id = $1 and type = 'usi.issued'`,
      [vendorId],
    );
    expect(issued).toHaveLength(1001);
    const [{ clear }] = await owner<{ clear: string }>(
      `select count(*) as clear from audit_events where vendor_id = $1 and (details::text like $2 or coalesce(usi_masked, '') = $3)`,
      [vendorId, `%${usis[0]}%`, usis[0]],
    );
    expect(Number(clear)).toBe(0);

    await untilTrue(() => receiver.at('/jobs').length > 0, 60_000);
    const delivery = receiver.at('/jobs')[0];
    expect(verifiesWith(endpoint.body.secret, delivery.headers, delivery.body)).toBe(true);
    const event = JSON.parse(delivery.body);
    expect(event).toMatchObject({
      type: 'creation_job.completed',
      data: {
        jobId: id,
        orgCode,
        state: 'completed',
        counts: { total: 1002, willSend: 1001, cannotSend: 1, answered: 1001, failed: 0, Success: 1001 },
        links: { self: `/v1/organisations/${orgCode}/creation-jobs/${id}`, results: `/v1/organisations/${orgCode}/creation-jobs/${id}/results` },
      },
    });
    expect(delivery.body).not.toContain('Bulkfirst');
    expect(delivery.body).not.toContain(usis[0]);
  }, 120_000);

  it('cancel: a queued job stops, its results say cancelled; a second cancel is refused; another vendor sees nothing', async () => {
    // No upstream until the job is cancelled: the organisation's pumps are not woken between the POST and the DELETE
    // only if the batches are claimed slower than this; the job may have started, so both outcomes are checked.
    const created = await post(JSON.stringify([application('x-1'), application('x-2')]), 'application/json').expect(202);
    const id = created.body.job.id as string;
    const cancelled = await request(env.gw.http).delete(`${base()}/${id}`).set('Authorization', `Bearer ${key}`);
    if (cancelled.status === 200) {
      expect(cancelled.body.state).toBe('cancelled');
      const again = await request(env.gw.http).delete(`${base()}/${id}`).set('Authorization', `Bearer ${key}`).expect(409);
      expect(again.body.code).toBe('creation_job.not_cancellable');
    } else {
      expect(cancelled.body.code).toBe('creation_job.not_cancellable');
    }
    const other = await env.newVendor();
    await env.newOrganisation(other);
    const otherKey = await env.newKey(other, ['usi:write']);
    const res = await request(env.gw.http).get(`${base()}/${id}`).set('Authorization', `Bearer ${otherKey}`);
    expect(res.status).toBeGreaterThanOrEqual(403);
    expect(JSON.stringify(res.body)).not.toContain(id);
  });

  it('cancel after the upload: the uploaded batch is still polled, and its created USIs are reported', async () => {
    const created = await post(JSON.stringify([application('u-1'), application('u-2')]), 'application/json').expect(202);
    const id = created.body.job.id as string;
    const receipt = async () =>
      (await owner<{ receipt_number: string | null }>(`select receipt_number from creation_job_batches where job_id = $1`, [id]))[0]?.receipt_number;
    await untilTrue(async () => Boolean(await receipt()), 60_000);
    const cancelled = await request(env.gw.http).delete(`${base()}/${id}`).set('Authorization', `Bearer ${key}`).expect(200);
    expect(cancelled.body.state).toBe('cancelled');
    await untilTrue(async () => (await get(`${base()}/${id}`)).body.counts.answered === 2, 60_000);
    const job = await get(`${base()}/${id}`).expect(200);
    expect(job.body).toMatchObject({ state: 'cancelled', counts: { answered: 2, byResult: { Success: 2 } } });
    const results = await get(`${base()}/${id}/results`).expect(200);
    expect(results.body.map((r: { outcome: string; usi: string | null }) => [r.outcome, typeof r.usi])).toEqual([
      ['answered', 'string'],
      ['answered', 'string'],
    ]);
  }, 90_000);

  it('retention: inputs and results are deleted, the counts stay', async () => {
    const created = await post(JSON.stringify([application('r-1')]), 'application/json').expect(202);
    const id = created.body.job.id as string;
    await until(id, ['completed', 'failed', 'cancelled']);
    await owner(`update creation_jobs set finished_at = now() - interval '8 days' where id = $1`, [id]);
    const { CreationPumps } = await import('@gateway/creation-jobs/creation-pumps.service');
    await env.gw.app.get(CreationPumps).purge();
    const job = await get(`${base()}/${id}`).expect(200);
    expect(job.body.dataDeletedAt).not.toBeNull();
    expect(job.body.counts.total).toBe(1);
    const results = await get(`${base()}/${id}/results`).expect(410);
    expect(results.body.code).toBe('creation_job.results_deleted');
    const [batch] = await owner<{ input: unknown; result: unknown }>(`select input, result from creation_job_batches where job_id = $1`, [id]);
    expect(batch).toEqual({ input: null, result: null });
  }, 60_000);
});
