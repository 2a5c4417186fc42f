import request from 'supertest';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { APPLICATION, MARYAM, usiRoutes } from './support/usi-requests';

describe('USI routes end to end (gateway → simulator, ActAs)', () => {
  let env: UsiTestEnv;
  let key: string;
  let orgCode: string;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    orgCode = organisation.orgCode;
    key = await env.newKey(vendor);
  }, 60_000);
  afterAll(() => env?.close());
  beforeEach(() => env.counted());

  const post = (path: string, body: object) => usiRoutes(env.gw.http, orgCode, key).post(path, body);
  const put = (path: string, body: object) => usiRoutes(env.gw.http, orgCode, key).put(path, body);
  const get = (path: string) => usiRoutes(env.gw.http, orgCode, key).get(path);

  it('VerifyUSI: answers the match result and never echoes orgCode or requestId', async () => {
    const res = await post('/usi/verify', MARYAM).expect(200);
    expect(res.body).toEqual({ usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(env.counted().usi).toEqual({ VerifyUSI: 1 });
  });

  it('BulkVerifyUSI: one upstream call for the batch', async () => {
    const res = await post('/usi/verify/batch', {
      noOfVerifications: 2,
      verifications: [
        { recordId: 1, ...MARYAM },
        { recordId: 2, usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' },
      ],
    }).expect(200);
    expect(res.body.verificationResponses).toHaveLength(2);
    expect(res.body.verificationResponses[0]).toMatchObject({ recordId: 1, usiStatus: 'Valid' });
    expect(env.counted().usi).toEqual({ BulkVerifyUSI: 1 });
  });

  it('CreateUSI: takes the application itself and answers the application response', async () => {
    const res = await post('/usis', APPLICATION).set('Idempotency-Key', 'create-maryam-1').expect(201);
    expect(res.body).toMatchObject({ applicationId: 'APP1', result: 'MatchFound', usi: 'BNGH7C75FN' });
    expect(res.body).not.toHaveProperty('requestId');
  });

  it('LocateUSI', async () => {
    const res = await post('/usis/locate', {
      userReference: 'locate-1',
      personalDetails: { firstName: 'Olivia', familyName: 'Harcastle', gender: 'F', dateOfBirth: '1992-03-14' },
      contactDetails: { emailAddress: 'olivia.harcastle@example.com.au' },
    }).expect(200);
    expect(res.body).toMatchObject({ result: 'Exact', usi: 'LCXCT7A2QR' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('UpdateUSIPersonalDetails and UpdateUSIContactDetails take the USI from the path', async () => {
    const personal = await put(`/usis/${MARYAM.usi}/personal-details`, {
      dvsCheckRequired: false,
      userReference: 'upd-1',
      personalDetailsModifier: 'FamilyName',
      personalDetailsUpdate: { familyName: 'Fredrick' },
      nonDvsDocumentTypeId: 5,
    }).set('Idempotency-Key', 'upd-personal-1');
    expect(personal.status).toBe(200);
    expect(['Success', 'Failure']).toContain(personal.body.result);
    const contact = await put(`/usis/${MARYAM.usi}/contact-details`, {
      userReference: 'upd-2',
      contactDetailsUpdate: { emailAddress: 'maryam.new@example.com.au' },
    }).set('Idempotency-Key', 'upd-contact-1');
    expect(contact.status).toBe(200);
    expect(['Success', 'Failure']).toContain(contact.body.result);
    expect(env.counted().usi).toEqual({ UpdateUSIPersonalDetails: 1, UpdateUSIContactDetails: 1 });
  });

  it('BulkUpload answers a receipt that BulkUploadRetrieve resolves once processed', async () => {
    const submitted = await post('/bulk-uploads', { noOfApplications: 1, applications: [APPLICATION] })
      .set('Idempotency-Key', 'bulk-1')
      .expect(202);
    expect(submitted.body.receiptNumber).toMatch(/^[0-9a-f-]{36}$/i);
    const early = await get(`/bulk-uploads/${submitted.body.receiptNumber}`);
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'usi.validation', upstream: { code: '1002' } });
    await new Promise((r) => setTimeout(r, 2_100));
    const done = await get(`/bulk-uploads/${submitted.body.receiptNumber}`).expect(200);
    expect(done.body).toMatchObject({ noOfApplications: 1, applications: [expect.objectContaining({ applicationId: 'APP1' })] });
    expect(done.body).not.toHaveProperty('requestId');
  });

  it('reference data: the second read is served from the cache', async () => {
    const first = await get('/reference/countries').expect(200);
    expect(first.headers['x-reference-cache']).toBe('miss');
    expect(first.body.countries.length).toBeGreaterThan(0);
    const second = await get('/reference/countries').expect(200);
    expect(second.headers['x-reference-cache']).toBe('hit');
    expect(second.body).toEqual(first.body);
    const types = await get('/reference/document-types').expect(200);
    expect(types.body.nonDvsDocumentTypes.length).toBeGreaterThan(0);
    expect(env.counted().usi).toEqual({ GetCountries: 1, GetNonDvsDocumentTypes: 1 });
  });

  it('invalid input is refused with every field error and never reaches the simulator', async () => {
    const res = await post('/usi/verify', { usi: 'BNGH7C75FX', firstName: 'Maryam', dateOfBirth: '1966-02-30', orgCode: 'X' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.validation');
    const codes = res.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining(['usi:usi_check_character', 'dateOfBirth:invalid_date', 'orgCode:unknown_field', 'familyName:required']),
    );
    const create = await post('/usis', { ...APPLICATION, dvsDocument: { documentType: 'Passport' } }).set('Idempotency-Key', 'bad-1');
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'dvsDocument.documentNumber' })]));
    const batch = await post('/usi/verify/batch', { noOfVerifications: 501, verifications: [] });
    expect(batch.status).toBe(400);
    const update = await put(`/usis/${MARYAM.usi}/contact-details`, { usi: MARYAM.usi, userReference: 'x', contactDetailsUpdate: {} })
      .set('Idempotency-Key', 'bad-2');
    expect(update.status).toBe(400);
    expect(update.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'usi', code: 'unknown_field' })]));
    expect(env.counted().total).toBe(0);
  });

  it('a date of birth in the future or before 1900 is a field error on every route that takes one, before any upstream call', async () => {
    // Two days ahead of the UTC date is in the future everywhere on Earth, whatever the time of day.
    const future = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const personal = (dateOfBirth: string) => ({ ...APPLICATION.personalDetails, dateOfBirth });
    const refusals = async (dateOfBirth: string) => [
      await post('/usis', { ...APPLICATION, personalDetails: personal(dateOfBirth) }).set('Idempotency-Key', `dob-create-${dateOfBirth}`),
      await post('/usi/verify', { ...MARYAM, dateOfBirth }),
      await post('/usi/verify/batch', { noOfVerifications: 2, verifications: [{ recordId: 1, ...MARYAM }, { recordId: 2, ...MARYAM, dateOfBirth }] }),
      await post('/usis/locate', { userReference: 'dob', personalDetails: { gender: 'F', firstName: 'A', familyName: 'B', dateOfBirth }, contactDetails: {} }),
      await put(`/usis/${MARYAM.usi}/personal-details`, {
        dvsCheckRequired: false,
        userReference: 'dob',
        personalDetailsModifier: 'DateOfBirth',
        personalDetailsUpdate: { dateOfBirth },
        nonDvsDocumentTypeId: 5,
      }).set('Idempotency-Key', `dob-update-${dateOfBirth}`),
      await post('/bulk-uploads', { noOfApplications: 1, applications: [{ ...APPLICATION, personalDetails: personal(dateOfBirth) }] })
        .set('Idempotency-Key', `dob-bulk-${dateOfBirth}`),
    ];
    const paths = ['personalDetails.dateOfBirth', 'dateOfBirth', 'verifications[1].dateOfBirth', 'personalDetails.dateOfBirth', 'personalDetailsUpdate.dateOfBirth', 'applications[0].personalDetails.dateOfBirth'];
    for (const [dateOfBirth, message] of [[future, 'must not be in the future'], ['1899-12-31', 'must be 1900-01-01 or later']]) {
      const responses = await refusals(dateOfBirth);
      expect(responses.map((r) => r.status)).toEqual(paths.map(() => 400));
      expect(responses[0].headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(responses.map((r) => r.body.code)).toEqual(paths.map(() => 'request.validation'));
      expect(responses.map((r) => r.body.errors)).toEqual(paths.map((path) => [{ path, code: 'out_of_range', message }]));
      expect(JSON.stringify(responses.map((r) => r.body))).not.toContain(dateOfBirth);
    }
    expect(env.counted().total).toBe(0);
  });

  it('connection test flips a pending authorisation to active and records the test', async () => {
    const vendor = await env.newVendor();
    const { organisation, authorisation } = await env.newOrganisation(vendor, { status: 'pending' });
    const vendorKey = await env.newKey(vendor, ['usi:verify']);
    const blocked = await request(env.gw.http)
      .post(`/v1/organisations/${organisation.orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${vendorKey}`)
      .send(MARYAM);
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({
      code: 'authorisation.not_active',
      authorisationStatus: 'pending',
      guidance: { vendorAbn: vendor.abn, softwareId: authorisation.softwareId },
    });
    const res = await request(env.gw.http)
      .post(`/v1/organisations/${organisation.orgCode}/connection-test`)
      .set('Authorization', `Bearer ${vendorKey}`)
      .expect(200);
    expect(res.body).toMatchObject({ ok: true, status: 'active', softwareId: authorisation.softwareId, vendorAbn: vendor.abn });
    const [row] = await queryAs(env.gw.db.ownerUrl, 'select status, last_tested_at, last_test_result from authorisations where id = $1', [
      authorisation.id,
    ]);
    expect(row).toMatchObject({ status: 'active', last_test_result: { ok: true, environment: 'sim' } });
    expect(row.last_tested_at).not.toBeNull();
    await request(env.gw.http)
      .post(`/v1/organisations/${organisation.orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${vendorKey}`)
      .send(MARYAM)
      .expect(200);
  });
});
