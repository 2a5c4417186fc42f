import request from 'supertest';
import { VerificationPumps } from '@gateway/verification-jobs/verification-pumps.service';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { MARYAM } from '../usi/support/usi-requests';

const AMY = { usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' };

describe('bulk verification jobs (gateway → queue worker → simulator)', () => {
  let env: UsiTestEnv;
  let key: string;
  let otherKey: string;
  let orgCode: string;
  let keySeq = 0;

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_ORG_PER_MINUTE: '100000', RATE_LIMIT_VENDOR_PER_MINUTE: '100000' });
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    orgCode = organisation.orgCode;
    key = await env.newKey(vendor);
    const other = await env.newVendor();
    await env.newOrganisation(other);
    otherKey = await env.newKey(other);
  }, 60_000);
  afterAll(() => env?.close());

  const base = () => `/v1/organisations/${orgCode}/verification-jobs`;
  const post = (body: string, type: string, query = '') =>
    request(env.gw.http)
      .post(`${base()}${query}`)
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', `job-${++keySeq}`)
      .set('Content-Type', type)
      .send(body);
  const get = (path: string, k = key) => request(env.gw.http).get(path).set('Authorization', `Bearer ${k}`);
  const until = async (id: string, states: string[]) => {
    for (let i = 0; i < 300; i++) {
      const res = await get(`${base()}/${id}`).expect(200);
      if (states.includes(res.body.state)) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`job ${id} never reached ${states.join('/')}`);
  };
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ recordId: `r-${i + 1}`, ...(i % 2 ? AMY : MARYAM) }));

  it('dryRun checks every row (check character, names, date of birth, recordId) and sends nothing', async () => {
    env.counted();
    const future = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const csv = [
      'recordId,usi,firstName,familyName,singleName,dateOfBirth',
      `a1,${MARYAM.usi},${MARYAM.firstName},${MARYAM.familyName},,${MARYAM.dateOfBirth}`,
      `a2,BNGH7C75FM,Maryam,Fredrick,,1966-05-25`,
      `,${MARYAM.usi},Maryam,Fredrick,,1966-05-25`,
      `a1,${AMY.usi},,,Amy,2022-06-07`,
      `a5,${MARYAM.usi},Maryam,,,1966-05-25`,
      `a6,${MARYAM.usi},Maryam,Fredrick,,${future}`,
      `"a,7",${AMY.usi},,,Amy,2022-06-07`,
    ].join('\r\n');
    const res = await post(csv, 'text/csv', '?dryRun=true').expect(202);
    expect(res.body.job).toMatchObject({ state: 'validating', dryRun: true, counts: { total: 7, willSend: 2, cannotSend: 5 } });
    const reasons = Object.fromEntries(res.body.cannotSend.map((r: { row: number; reasons: string[] }) => [r.row, r.reasons.join(' ')]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 6]);
    expect(reasons[2]).toMatch(/^usi: /);
    expect(reasons[3]).toContain('recordId: required');
    expect(reasons[4]).toContain('duplicate_record_id');
    expect(reasons[5]).toMatch(/name/i);
    expect(reasons[6]).toMatch(/dateOfBirth/);
    expect(JSON.stringify(res.body)).not.toContain('Maryam');
    expect(env.counted().total).toBe(0);
    const [{ count }] = await queryAs<{ count: string }>(env.gw.db.ownerUrl, `select count(*) from verification_jobs`);
    expect(Number(count)).toBe(0);
  });

  it('needs an Idempotency-Key, and the same key replays the same job', async () => {
    const body = JSON.stringify(rows(3));
    const missing = await request(env.gw.http).post(base()).set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(body);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('idempotency.key_required');
    const send = () =>
      request(env.gw.http).post(base()).set('Authorization', `Bearer ${key}`).set('Idempotency-Key', 'same-job').set('Content-Type', 'application/json').send(body);
    const first = await send().expect(202);
    const second = await send().expect(202);
    expect(second.body.job.id).toBe(first.body.job.id);
    await until(first.body.job.id, ['completed']);
  });

  it('a 1,203-row JSON job: 3 BulkVerifyUSI calls, every row answered once, results as JSON and CSV, inputs sealed', async () => {
    env.counted();
    const records = [...rows(1200), { recordId: 'bad-1', usi: 'XXXX', singleName: 'Amy', dateOfBirth: '2022-06-07' }, { usi: MARYAM.usi }, 'nonsense'];
    // The bad rows go at the end, after the 1,200 good ones, and are reported in row order too.
    const created = await post(JSON.stringify(records), 'application/json').expect(202);
    expect(created.body.job).toMatchObject({ state: 'queued', counts: { total: 1203, willSend: 1200, cannotSend: 3 }, batches: { total: 3 } });
    const done = await until(created.body.job.id, ['completed', 'failed']);
    expect(done).toMatchObject({ state: 'completed', progress: 1, counts: { answered: 1200, failed: 0 }, batches: { total: 3, done: 3 } });
    expect(done.counts.byUsiStatus.Valid).toBeGreaterThan(0);
    expect(env.counted().usi.BulkVerifyUSI).toBe(3);

    const json = await get(`${done.links.results}?format=json`).expect(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.body.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: 1203 }, (_, i) => i + 1));
    expect(json.body[0]).toMatchObject({ row: 1, recordId: 'r-1', outcome: 'answered', usiStatus: 'Valid', firstName: 'Match', dateOfBirth: 'Match' });
    expect(json.body[1200]).toMatchObject({ row: 1201, recordId: 'bad-1', outcome: 'not_sent' });
    expect(json.body[1202]).toMatchObject({ row: 1203, recordId: null, outcome: 'not_sent', reason: 'row: not a JSON object' });
    expect(json.body.filter((r: { outcome: string }) => r.outcome === 'answered')).toHaveLength(1200);

    const csv = await get(`${done.links.results}?format=csv`).expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('row,recordId,outcome,usiStatus,firstName,familyName,singleName,dateOfBirth,reason');
    expect(lines).toHaveLength(1204);
    expect(lines[1]).toBe('1,r-1,answered,Valid,Match,Match,,Match,');

    const stored = await queryAs<{ text: string }>(
      env.gw.db.ownerUrl,
      `select coalesce(b.input::text, '') || coalesce(b.result::text, '') || coalesce(j.rejects::text, '') as text
         from verification_job_batches b join verification_jobs j on j.id = b.job_id where j.id = $1`,
      [created.body.job.id],
    );
    for (const { text } of stored) {
      expect(text).not.toContain(MARYAM.familyName);
      expect(text).not.toContain(MARYAM.usi);
      expect(text).toContain('ciphertext');
    }

    // Each batch's exchange is on record: its `started` row and its outcome (committed with the batch's finish).
    const audited = await queryAs<{ request_id: string; type: string; operation: string; related: boolean }>(
      env.gw.db.ownerUrl,
      `select request_id, type, operation, related_event_id is not null as related from audit_events
        where request_id like $1 and category = 'exchange' and operation = 'BulkVerifyUSI' order by request_id, chain_seq`,
      [`verification-job:${created.body.job.id}:%`],
    );
    const byBatch = new Map<string, string[]>();
    for (const e of audited) byBatch.set(e.request_id, [...(byBatch.get(e.request_id) ?? []), e.type]);
    expect([...byBatch.values()]).toEqual([['started', 'completed'], ['started', 'completed'], ['started', 'completed']]);
    expect(audited.filter((e) => e.type === 'completed').every((e) => e.related)).toBe(true);
  }, 60_000);

  it('a CSV upload as a multipart file, and the example served by the API', async () => {
    const example = await request(env.gw.http).get('/docs/verification-jobs/example.csv').expect(200);
    expect(example.text.split('\n')[0]).toBe('recordId,usi,firstName,familyName,singleName,dateOfBirth');
    // The documented example (also the OpenAPI request example) is an upload the job accepts as it is.
    const checked = await request(env.gw.http)
      .post(`${base()}?dryRun=true`)
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', 'example-dry-run')
      .set('Content-Type', 'text/csv')
      .send(example.text)
      .expect(202);
    expect(checked.body.job.counts).toMatchObject({ total: 2, willSend: 2, cannotSend: 0 });
    const csv = `recordId,usi,firstName,familyName,singleName,dateOfBirth\nm1,${MARYAM.usi},Maryam,Fredrick,,1966-05-25\n`;
    const res = await request(env.gw.http)
      .post(base())
      .set('Authorization', `Bearer ${key}`)
      .set('Idempotency-Key', 'multipart-1')
      .attach('file', Buffer.from(csv), { filename: 'cohort.csv', contentType: 'text/csv' })
      .expect(202);
    expect(res.body.job.counts).toMatchObject({ total: 1, willSend: 1 });
    const done = await until(res.body.job.id, ['completed']);
    expect(done.counts.answered).toBe(1);
  });

  it('NDJSON; an unreadable document is a 400 problem, never a 500', async () => {
    const ndjson = rows(2).map((r) => JSON.stringify(r)).join('\n');
    const ok = await post(ndjson, 'application/x-ndjson').expect(202);
    expect(ok.body.job.counts.willSend).toBe(2);
    const bad = await post('{"not": "a list"}', 'application/json').expect(400);
    expect(bad.body.code).toBe('verification_job.invalid_input');
    const noHeader = await post('', 'text/csv');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.code).toBe('verification_job.invalid_input');
  });

  it('is not visible to another vendor; cancel ends a job once', async () => {
    const created = await post(JSON.stringify(rows(2)), 'application/json').expect(202);
    const id = created.body.job.id;
    const foreign = await request(env.gw.http)
      .get(`${base()}/${id}`)
      .set('Authorization', `Bearer ${otherKey}`);
    expect(foreign.status).toBe(404);
    await get(`${base()}/00000000-0000-0000-0000-000000000000`).expect(404);
    await until(id, ['completed']);
    const again = await request(env.gw.http).delete(`${base()}/${id}`).set('Authorization', `Bearer ${key}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('verification_job.not_cancellable');
  });

  it('deletes inputs and results after the retention period; the counts stay', async () => {
    const created = await post(JSON.stringify(rows(2)), 'application/json').expect(202);
    const id = created.body.job.id;
    await until(id, ['completed']);
    await queryAs(env.gw.db.ownerUrl, `update verification_jobs set finished_at = now() - interval '8 days' where id = $1`, [id]);
    await env.gw.app.get(VerificationPumps).purge();
    const job = (await get(`${base()}/${id}`).expect(200)).body;
    expect(job.counts).toMatchObject({ total: 2, answered: 2 });
    expect(job.dataDeletedAt).not.toBeNull();
    const results = await get(`${base()}/${id}/results`).expect(410);
    expect(results.body.code).toBe('verification_job.results_deleted');
    const [left] = await queryAs<{ n: string }>(env.gw.db.ownerUrl, `select count(*) as n from verification_job_batches where job_id = $1 and (input is not null or result is not null)`, [id]);
    expect(Number(left.n)).toBe(0);
  });
});
