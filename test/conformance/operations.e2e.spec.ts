import { isValidUsi, type Application, type LocateUsiRequest } from '@usi/contract';
import type { UsiClient } from '@usi/client';
import { sampleApplication } from '../../libs/usi-contract/src/testing/sample-messages';
import { clientError, MODES, startConformanceEnv, type ConformanceEnv, type Mode } from './support/conformance-env';

/** Every one of the ten v5 operations through the real client, direct (VA1803) and under ActAs (VA1802). */
describe.each(MODES)('conformance: the ten operations in %s mode', (mode: Mode) => {
  let env: ConformanceEnv;
  let client: UsiClient;
  let org: string;
  const ctx = () => env.context(mode);

  beforeAll(async () => {
    env = await startConformanceEnv();
    client = env.client();
    org = env.orgCode(mode);
  });
  afterAll(() => env?.stop());

  const maryam = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

  function application(id: string, personal: Partial<Application['personalDetails']>): Application {
    const base = sampleApplication(id, { documentType: 'Passport', documentNumber: 'X1111111' });
    return { ...base, personalDetails: { ...base.personalDetails, ...personal } as Application['personalDetails'] };
  }

  it('VerifyUSI: Valid and Match for Maryam Fredrick, NoMatch for a wrong name, Invalid for a bad check character', async () => {
    await expect(client.verifyUsi(ctx(), { orgCode: org, ...maryam })).resolves.toEqual({
      usiStatus: 'Valid',
      firstName: 'Match',
      familyName: 'Match',
      dateOfBirth: 'Match',
    });
    await expect(client.verifyUsi(ctx(), { orgCode: org, ...maryam, familyName: 'Fredricks' })).resolves.toMatchObject({
      usiStatus: 'Valid',
      familyName: 'NoMatch',
    });
    await expect(client.verifyUsi(ctx(), { orgCode: org, usi: 'XNY5NV9WG8', singleName: 'Amy', dateOfBirth: '2022-06-07' })).resolves.toMatchObject({
      usiStatus: 'Invalid',
    });
  });

  it('BulkVerifyUSI: one answer per record, single names and deactivated USIs included', async () => {
    const res = await client.bulkVerifyUsi(ctx(), {
      orgCode: org,
      noOfVerifications: 3,
      verifications: [
        { recordId: 1, usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' },
        { recordId: 2, usi: 'HQ9HHNJC3J', firstName: 'BERT', familyName: 'ZYWIEC', dateOfBirth: '1986-04-22' },
        { recordId: 3, usi: 'DG6K5YHPP3', firstName: 'Asfaha', familyName: 'Loflin', dateOfBirth: '1982-12-23' },
      ],
    });
    const byRecord = new Map(res.verificationResponses.map((r) => [r.recordId, r]));
    expect(byRecord.get(1)).toMatchObject({ usi: 'XNY5NV9WG9', usiStatus: 'Valid', singleName: 'Match', dateOfBirth: 'Match' });
    expect(byRecord.get(2)).toMatchObject({ usi: 'HQ9HHNJC3J', usiStatus: 'Valid', firstName: 'Match', familyName: 'Match' });
    expect(byRecord.get(3)).toMatchObject({ usi: 'DG6K5YHPP3', usiStatus: 'Deactivated' });
  });

  it('CreateUSI: MatchFound with the existing USI for Maryam Fredrick, Success and a new USI for a new person', async () => {
    const found = await client.createUsi(ctx(), {
      orgCode: org,
      requestId: `create-maryam-${mode}`,
      application: application('1', { firstName: 'Maryam', middleName: undefined, familyName: 'Fredrick', dateOfBirth: '1966-05-25', gender: 'F' }),
    });
    expect(found.application).toMatchObject({ applicationId: '1', result: 'MatchFound', usi: 'BNGH7C75FN' });

    const created = await client.createUsi(ctx(), {
      orgCode: org,
      requestId: `create-new-${mode}`,
      application: application('2', { firstName: 'Conformance', familyName: `Newperson${mode}`, dateOfBirth: '2001-02-03' }),
    });
    expect(created.application).toMatchObject({ applicationId: '2', result: 'Success', identityDocumentVerified: 'True' });
    expect(isValidUsi(created.application.usi!)).toBe(true);
  });

  it('BulkUpload then BulkUploadRetrieve: a receipt, "still processing" until the ready delay, then the results', async () => {
    const { receiptNumber } = await client.bulkUpload(ctx(), {
      orgCode: org,
      requestId: `bulk-${mode}`,
      noOfApplications: 2,
      applications: [
        application('a1', { firstName: 'Maryam', middleName: undefined, familyName: 'Fredrick', dateOfBirth: '1966-05-25', gender: 'F' }),
        application('a2', { firstName: 'Bulk', familyName: `Uploaded${mode}`, dateOfBirth: '1999-09-09' }),
      ],
    });
    expect(receiptNumber).toMatch(/\S/);

    const early = await clientError(client.bulkUploadRetrieve(ctx(), { receiptNumber }));
    expect(early.code).toBe('usi.fault');
    expect(early.details?.errors).toEqual([expect.objectContaining({ code: 1002, message: expect.stringMatching(/still being processed/) })]);

    env.clock.advance(2_500); // past the registry's readyAfterMs (2 s), on the simulator's clock
    const res = await client.bulkUploadRetrieve(ctx(), { receiptNumber });
    expect(res).toMatchObject({ requestId: `bulk-${mode}`, noOfApplications: 2, noOfApplicationsFailed: 0 });
    const byId = new Map(res.applications.map((a) => [a.applicationId, a]));
    expect(byId.get('a1')).toMatchObject({ result: 'MatchFound', usi: 'BNGH7C75FN' });
    expect(byId.get('a2')).toMatchObject({ result: 'Success' });
    expect(isValidUsi(byId.get('a2')!.usi!)).toBe(true);
  });

  describe('LocateUSI: every result kind', () => {
    const olivia = { gender: 'F', firstName: 'Olivia', familyName: 'Harcastle', dateOfBirth: '1992-03-14' } as const;
    const jordan = { gender: 'M', firstName: 'Jordan', familyName: 'Quillfeather', dateOfBirth: '1995-07-07' } as const;
    const locate = (personalDetails: LocateUsiRequest['personalDetails'], contactDetails: LocateUsiRequest['contactDetails']) =>
      client.locateUsi(ctx(), { orgCode: org, userReference: 'conformance', personalDetails, contactDetails });

    it.each([
      ['Exact', olivia, { emailAddress: 'olivia.harcastle@example.com.au' }, 'LCXCT7A2QR'],
      ['SingleNoContactMatch', olivia, { emailAddress: 'someone.else@example.com.au' }, ''],
      ['MultipleExact', jordan, { emailAddress: 'jordan.quillfeather@example.com.au' }, ''],
      ['MultipleNoContactMatch', jordan, { emailAddress: 'nobody@example.com.au' }, ''],
      ['NoIdenticalStrongPartial', { ...olivia, firstName: 'Livia' }, { emailAddress: 'olivia.harcastle@example.com.au' }, ''],
      ['NoMatch', { gender: 'X', firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1950-01-01' }, { emailAddress: 'n@example.com.au' }, ''],
    ] as const)('%s', async (result, personal, contact, usi) => {
      await expect(locate(personal, contact)).resolves.toMatchObject({ result, usi });
    });
  });

  describe('updates', () => {
    let usi: string;
    let stranger: string;
    beforeAll(() => {
      const [mine, other] = env.sim.admin.addPeople([
        { gender: 'F', firstName: 'Updatable', familyName: `Person${mode}`, dateOfBirth: '1980-01-02', contactPermissions: [org] },
        { gender: 'M', firstName: 'Unpermitted', familyName: `Person${mode}`, dateOfBirth: '1980-01-03' },
      ]);
      usi = mine.usi;
      stranger = other.usi;
    });

    it('UpdateUSIPersonalDetails: Success with a passing DVS document; the change is visible to VerifyUSI', async () => {
      await expect(
        client.updateUsiPersonalDetails(ctx(), {
          orgCode: org,
          usi,
          dvsCheckRequired: true,
          userReference: 'upd-personal',
          personalDetailsModifier: 'FamilyName',
          personalDetailsUpdate: { familyName: `Renamed${mode}` },
          dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111' },
        }),
      ).resolves.toEqual({ result: 'Success', identityDocumentVerified: 'True' });
      await expect(
        client.verifyUsi(ctx(), { orgCode: org, usi, firstName: 'Updatable', familyName: `Renamed${mode}`, dateOfBirth: '1980-01-02' }),
      ).resolves.toMatchObject({ usiStatus: 'Valid', familyName: 'Match' });
    });

    it('UpdateUSIPersonalDetails: a failing DVS document is fault 2004', async () => {
      const err = await clientError(
        client.updateUsiPersonalDetails(ctx(), {
          orgCode: org,
          usi,
          dvsCheckRequired: true,
          userReference: 'upd-personal-bad',
          personalDetailsModifier: 'FirstName',
          personalDetailsUpdate: { firstName: 'Other' },
          dvsDocument: { documentType: 'Passport', documentNumber: 'X2222222' },
        }),
      );
      expect(err.code).toBe('usi.fault');
      expect(err.details?.errors).toEqual([expect.objectContaining({ code: 2004 })]);
    });

    it('UpdateUSIContactDetails: Success with the student\'s permission, E203 without it', async () => {
      const update = { countryOfResidenceCode: '1101', emailAddress: 'new.address@example.com.au' };
      await expect(
        client.updateUsiContactDetails(ctx(), { orgCode: org, usi, userReference: 'upd-contact', contactDetailsUpdate: update }),
      ).resolves.toEqual({ result: 'Success' });
      await expect(
        client.updateUsiContactDetails(ctx(), { orgCode: org, usi: stranger, userReference: 'upd-contact-2', contactDetailsUpdate: update }),
      ).resolves.toMatchObject({ result: 'Failure', errors: [expect.objectContaining({ code: 'E203' })] });
    });
  });

  it('GetCountries: the country list includes Australia (1101)', async () => {
    const res = await client.getCountries(ctx(), { orgCode: org });
    expect(res.countries).toContainEqual(expect.objectContaining({ countryCode: '1101', name: 'Australia' }));
  });

  it('GetNonDvsDocumentTypes: a non-empty list of typed entries', async () => {
    const res = await client.getNonDvsDocumentTypes(ctx(), { orgCode: org });
    expect(res.nonDvsDocumentTypes.length).toBeGreaterThan(0);
    for (const t of res.nonDvsDocumentTypes) {
      expect(t).toEqual({ id: expect.any(Number), documentType: expect.any(String), sortOrder: expect.any(Number) });
    }
  });

  it('used one STS token for all of this mode\'s calls', () => {
    expect(env.sim.admin.counters().sts).toBe(1);
  });
});
