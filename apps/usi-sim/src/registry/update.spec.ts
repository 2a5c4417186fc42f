import { CLOUD, DIRECT, faultOf, PASSING_PASSPORT, smallRegistry } from './registry.test-support';

describe('UpdateUSIPersonalDetails', () => {
  const registry = smallRegistry();
  const update = (req: object) =>
    registry.handle('UpdateUSIPersonalDetails', {
      orgCode: 'VA1803', usi: 'BP6LKB3C7X', dvsCheckRequired: true, userReference: 'spec',
      personalDetailsModifier: 'FamilyName', personalDetailsUpdate: { familyName: 'Gumarsson-Lee' }, dvsDocument: PASSING_PASSPORT,
      ...req,
    } as never, DIRECT);

  it('updates an active person after a passing DVS check', async () => {
    await expect(update({})).resolves.toEqual({ result: 'Success', identityDocumentVerified: 'True' });
    expect(registry.people.findByUsi('BP6LKB3C7X')).toMatchObject({ firstName: 'Csenge', familyName: 'Gumarsson-Lee' });
  });

  it('answers NotRequired without a DVS check', async () => {
    await expect(update({ dvsCheckRequired: false, dvsDocument: undefined, personalDetailsModifier: 'TownCityOfBirth', personalDetailsUpdate: { townCityOfBirth: 'Wollongong' } }))
      .resolves.toEqual({ result: 'Success', identityDocumentVerified: 'NotRequired' });
  });

  it('faults 2004 when the DVS check fails, leaving the record unchanged', async () => {
    const fault = await faultOf(() => update({ personalDetailsUpdate: { familyName: 'Changed' }, dvsDocument: { documentType: 'Passport', documentNumber: 'X2222222' } }));
    expect(fault.errors[0].code).toBe(2004);
    expect(registry.people.findByUsi('BP6LKB3C7X')?.familyName).not.toBe('Changed');
  });

  it.each([
    ['a deactivated USI', 'DG6K5YHPP3', 'E202'],
    ['an unknown USI', 'ABCDEFGH2S', 'E201'],
  ])('fails for %s', async (_label, usi, code) => {
    const res = await update({ usi });
    expect(res).toMatchObject({ result: 'Failure', errors: [{ code }] });
  });

  it('fails with E204 when the modified field is not in the update', async () => {
    await expect(update({ personalDetailsModifier: 'DateOfBirth' })).resolves.toMatchObject({ result: 'Failure', errors: [{ code: 'E204' }] });
  });

  it('switching to a single name drops the first and family names', async () => {
    await update({ usi: 'GSR3R49PPX', personalDetailsModifier: 'SingleName', personalDetailsUpdate: { singleName: 'Margaret' } });
    expect(registry.people.findByUsi('GSR3R49PPX')).toMatchObject({ singleName: 'Margaret', firstName: undefined, familyName: undefined });
  });
});

describe('UpdateUSIContactDetails', () => {
  const registry = smallRegistry();
  const update = (orgCode: string, usi: string, contactDetailsUpdate: object) =>
    registry.handle('UpdateUSIContactDetails', { orgCode, usi, userReference: 'spec', contactDetailsUpdate }, orgCode === 'VA1803' ? DIRECT : CLOUD);

  it('updates contact details for the organisation the student gave permission to', async () => {
    await expect(update('VA1803', '7WCT4QEFEQ', { emailAddress: 'elliot.new@example.com.au', phone: { home: '0299998888' } })).resolves.toEqual({ result: 'Success' });
    expect(registry.people.findByUsi('7WCT4QEFEQ')?.contact).toMatchObject({
      emailAddress: 'elliot.new@example.com.au', phone: { home: '0299998888', mobile: '0412000109' }, nationalAddress: { postCode: '3000' },
    });
  });

  it('replaces a national address with an international one', async () => {
    await update('VA1803', '7WCT4QEFEQ', { internationalAddress: '1 Queen St, Auckland 1010, New Zealand' });
    const contact = registry.people.findByUsi('7WCT4QEFEQ')?.contact;
    expect(contact).toMatchObject({ internationalAddress: '1 Queen St, Auckland 1010, New Zealand' });
    expect(contact?.nationalAddress).toBeUndefined();
  });

  it('fails with E203 for an organisation without permission', async () => {
    await expect(update('VA1802', '7WCT4QEFEQ', { emailAddress: 'x@example.com' })).resolves.toMatchObject({ result: 'Failure', errors: [{ code: 'E203' }] });
    await expect(update('VA1803', 'BNGH7C75FN', { emailAddress: 'x@example.com' })).resolves.toMatchObject({ result: 'Failure', errors: [{ code: 'E203' }] });
    expect(registry.people.findByUsi('BNGH7C75FN')?.contact.emailAddress).toBe('maryam.fredrick@example.com.au');
  });

  it('fails for deactivated and unknown USIs', async () => {
    await expect(update('VA1803', 'R5HQLSWS9Y', {})).resolves.toMatchObject({ result: 'Failure', errors: [{ code: 'E202' }] });
    await expect(update('VA1803', 'XNY5NV9WG8', {})).resolves.toMatchObject({ result: 'Failure', errors: [{ code: 'E201' }] });
  });
});

describe('reference data', () => {
  const registry = smallRegistry();

  it('lists non-DVS document types with ids and sort order', async () => {
    const { nonDvsDocumentTypes } = await registry.handle('GetNonDvsDocumentTypes', { orgCode: 'VA1803' }, DIRECT);
    expect(nonDvsDocumentTypes.length).toBeGreaterThan(3);
    expect(new Set(nonDvsDocumentTypes.map((d) => d.id)).size).toBe(nonDvsDocumentTypes.length);
    expect(nonDvsDocumentTypes.map((d) => d.sortOrder)).toEqual([...nonDvsDocumentTypes.map((d) => d.sortOrder)].sort((a, b) => a - b));
  });

  it('lists SACC countries with Australia, New Zealand, England and a non-current entry', async () => {
    const { countries } = await registry.handle('GetCountries', { orgCode: 'VA1803' }, DIRECT);
    expect(countries).toEqual(expect.arrayContaining([
      { countryCode: '1101', name: 'Australia', isCurrent: true },
      { countryCode: '1201', name: 'New Zealand', isCurrent: true },
      { countryCode: '2102', name: 'England', isCurrent: true },
    ]));
    expect(countries.some((c) => !c.isCurrent)).toBe(true);
    expect(countries.every((c) => /^\d{4}$/.test(c.countryCode))).toBe(true);
  });
});
