import type { DvsDocument } from '@usi/contract';
import { isValidUsi } from '@usi/contract';
import { application, DIRECT, faultOf, manualClock, smallRegistry } from './registry.test-support';

describe('CreateUSI', () => {
  const clock = manualClock('2025-10-02T03:04:05.000Z');
  const registry = smallRegistry(clock);
  let nextRequest = 1;
  const create = (app = application()) =>
    registry.handle('CreateUSI', { requestId: `R${nextRequest++}`, orgCode: 'VA1803', application: app }, DIRECT);

  it('creates a person with a new valid USI that VerifyUSI then knows', async () => {
    const { application: res } = await create();
    expect(res).toMatchObject({ result: 'Success', identityDocumentVerified: 'True', applicationId: 'A1', processedDate: '2025-10-02T03:04:05.000Z' });
    expect(isValidUsi(res.usi)).toBe(true);
    const verified = await registry.handle('VerifyUSI', { orgCode: 'VA1803', usi: res.usi!, firstName: 'Brand', familyName: 'Newstudent', dateOfBirth: '2001-02-03' }, DIRECT);
    expect(verified).toMatchObject({ usiStatus: 'Valid', firstName: 'Match', dateOfBirth: 'Match' });
  });

  it('answers MatchFound with the existing USI for a known identity, whatever the case', async () => {
    const { application: res } = await create(application({
      personalDetails: { gender: 'F', firstName: 'MARYAM', familyName: 'fredrick', dateOfBirth: '1966-05-25', countryOfBirthCode: '1101', townCityOfBirth: 'Adelaide', isPreferredName: false },
    }));
    expect(res).toMatchObject({ result: 'MatchFound', usi: 'BNGH7C75FN' });
  });

  it('fails with E101 when several records share the identity', async () => {
    const { application: res } = await create(application({
      personalDetails: { gender: 'M', firstName: 'Jordan', familyName: 'Quillfeather', dateOfBirth: '1995-07-07', countryOfBirthCode: '1101', townCityOfBirth: 'Toowoomba', isPreferredName: false },
    }));
    expect(res.result).toBe('Failure');
    expect(res.usi).toBeUndefined();
    expect(res.errors).toEqual([{ code: 'E101', message: 'Failed to create USI record, multiple existing records were found.' }]);
  });

  const passing: DvsDocument[] = [
    { documentType: 'Passport', documentNumber: 'X1111111' },
    { documentType: 'Medicare', medicareCardNumber: '1111111111', individualRefNumber: '1', expiryDate: '2030-04', cardColour: 'Green', nameLine1: 'Brand Newstudent' },
    { documentType: 'DriversLicence', licenceNumber: '111111', state: 'NSW' },
    { documentType: 'ImmiCard', immiCardNumber: 'ABC111111' },
    { documentType: 'Visa', passportNumber: '111111' },
    { documentType: 'CitizenshipCertificate', stockNumber: 'ACC111111', acquisitionDate: '2010-01-01' },
    { documentType: 'RegistrationByDescent', acquisitionDate: '2013-01-01' },
    { documentType: 'BirthCertificate', registrationNumber: '1111111', registrationState: 'VIC' },
    { documentType: 'BirthCertificate', registrationNumber: '11111111', registrationState: 'NSW' },
    { documentType: 'CentrelinkCard', crn: '111111111A', name: 'Brand Newstudent', expiryDate: '2030-01-01', type: 'HCC' },
  ];
  it.each(passing.map((d, i) => [d.documentType, i, d] as const))('passes the mock DVS with the 3PT %s value (#%i)', async (_t, i, doc) => {
    const { application: res } = await create(application({
      dvsDocument: doc,
      personalDetails: { gender: 'X', firstName: 'Dvs', familyName: `Passer${'abcdefghijk'[i]}`, dateOfBirth: '1999-09-09', countryOfBirthCode: '1101', townCityOfBirth: 'Perth', isPreferredName: false },
    }));
    expect(res).toMatchObject({ result: 'Success', identityDocumentVerified: 'True' });
  });

  const failing: DvsDocument[] = [
    { documentType: 'Passport', documentNumber: 'X1234567' },
    { documentType: 'Medicare', medicareCardNumber: '2222222222', individualRefNumber: '1', expiryDate: '2030-04', cardColour: 'Green', nameLine1: 'X' },
    { documentType: 'DriversLicence', licenceNumber: '123456', state: 'NSW' },
    { documentType: 'BirthCertificate', registrationState: 'SA' },
    { documentType: 'CentrelinkCard', crn: '211111111A', name: 'X', expiryDate: '2030-01-01', type: 'PCC' },
  ];
  it.each(failing.map((d) => [d.documentType, d] as const))('faults 2004 Unverified Identity for a non-mock %s and creates nobody', async (_t, doc) => {
    const before = registry.people.size;
    const fault = await faultOf(() => create(application({ dvsDocument: doc })));
    expect(fault.errors).toEqual([{ code: 2004, title: 'Unverified Identity', message: 'The system could not verify the identity based on the supplied information.' }]);
    expect(registry.people.size).toBe(before);
  });

  it('faults 2004 when a DVS check is required but no document is given', async () => {
    await expect(faultOf(() => create(application({ dvsDocument: undefined })))).resolves.toMatchObject({ errors: [{ code: 2004 }] });
  });

  it('skips the DVS check (NotRequired) when DVSCheckRequired is false', async () => {
    const { application: res } = await create(application({
      dvsCheckRequired: false, dvsDocument: { documentType: 'Passport', documentNumber: 'Z9999999' },
      personalDetails: { gender: 'M', singleName: 'Nodvs', dateOfBirth: '2000-01-01', countryOfBirthCode: '1101', townCityOfBirth: 'Perth', isPreferredName: false },
    }));
    expect(res).toMatchObject({ result: 'Success', identityDocumentVerified: 'NotRequired' });
  });

  it('replays the first answer for a repeated RequestId with the same content', async () => {
    const req = { requestId: 'REPLAY-1', orgCode: 'VA1803', application: application({
      personalDetails: { gender: 'F', firstName: 'Once', familyName: 'Only', dateOfBirth: '1990-01-01', countryOfBirthCode: '1101', townCityOfBirth: 'Perth', isPreferredName: false },
    }) };
    const first = await registry.handle('CreateUSI', req, DIRECT);
    clock.advance(60_000);
    const second = await registry.handle('CreateUSI', structuredClone(req), DIRECT);
    expect(second).toEqual(first);
    expect(first.application.result).toBe('Success');
  });

  it('faults 1002 when a RequestId is reused with different content, but not across organisations', async () => {
    const req = { requestId: 'REUSED-1', orgCode: 'VA1803', application: application() };
    await registry.handle('CreateUSI', req, DIRECT);
    const fault = await faultOf(() => registry.handle('CreateUSI', { ...req, application: application({ applicationId: 'A2' }) }, DIRECT));
    expect(fault.errors[0]).toMatchObject({ code: 1002, title: 'Generic Validation' });
    await expect(registry.handle('CreateUSI', { ...req, orgCode: 'VA1802', application: application({ applicationId: 'A2' }) }, { abn: '96312011219' })).resolves.toBeDefined();
  });

  it.each([
    ['on the day after its clock date (2025-10-02)', '2025-10-03', 'must not be in the future'],
    ['before 1900', '1899-12-31', 'must be 1900-01-01 or later'],
  ])('faults 1002 for a date of birth %s and creates nobody', async (_when, dateOfBirth, message) => {
    const before = registry.people.size;
    const personalDetails = { ...application().personalDetails, dateOfBirth };
    const fault = await faultOf(() => create(application({ personalDetails })));
    expect(fault.errors).toEqual([
      { code: 1002, title: 'Generic Validation', message: `application.personalDetails.dateOfBirth: ${message}` },
    ]);
    expect(registry.people.size).toBe(before);
  });
});
