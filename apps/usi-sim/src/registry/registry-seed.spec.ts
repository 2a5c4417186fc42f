import { isValidUsi } from '@usi/contract';
import { Registry } from './registry';

describe('Registry.seeded', () => {
  const registry = Registry.seeded({ population: 300, seed: 7 });

  it('holds the 3PT organisations with their ABNs and web-service access', () => {
    expect(registry.organisations.find('VA1803')).toMatchObject({ abn: '27809366375', kind: 'direct', webServiceAccess: true });
    expect(registry.organisations.find('va1802')).toMatchObject({ abn: '96312011219', kind: 'cloud', webServiceAccess: true });
    expect(registry.organisations.find('VA9999')).toBeUndefined();
  });

  it('holds the in-force notification for the 3PT cloud vendor', () => {
    const q = { vendorAbn: '11000002568', providerAbn: '96312011219', softwareId: '0000123400' };
    expect(registry.notifications.findInForce({ ...q, at: new Date('2026-01-01T00:00:00Z') })).toMatchObject({ status: 'active' });
    expect(registry.notifications.findInForce({ ...q, softwareId: '0000999999', at: new Date('2026-01-01T00:00:00Z') })).toBeUndefined();
  });

  it.each([
    ['BNGH7C75FN', { firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25', status: 'active' }],
    ['XNY5NV9WG9', { singleName: 'Amy', dateOfBirth: '2022-06-07', status: 'active' }],
    ['HQ9HHNJC3J', { firstName: 'BERT', familyName: 'ZYWIEC', dateOfBirth: '1986-04-22' }],
    ['GSR3R49PPX', { firstName: 'margaret', familyName: 'Michael', dateOfBirth: '1990-05-31' }],
    ['DG6K5YHPP3', { firstName: 'Asfaha', familyName: 'Loflin', status: 'deactivated' }],
    ['R5HQLSWS9Y', { singleName: 'Testdeactivated', status: 'deactivated' }],
    ['QFJEGFSBC4', { singleName: 'Testsinglename', dateOfBirth: '1985-01-01' }],
    ['BP6LKB3C7X', { firstName: 'Csenge', familyName: 'Gumarsson', dateOfBirth: '1988-12-26' }],
    ['7WCT4QEFEQ', { contactPermissions: ['VA1803'] }],
    ['GBYDD3ZLVN', { firstName: 'Mary', familyName: 'Smithid', dateOfBirth: '1991-04-26' }],
  ])('seeds the known 3PT person %s', (usi, expected) => {
    expect(registry.people.findByUsi(usi)).toMatchObject(expected);
  });

  it('gives every seeded person a valid USI, a contact email and an Australian residence', () => {
    const people = registry.people.list();
    expect(people.length).toBe(21 + 300);
    for (const p of people) {
      expect(isValidUsi(p.usi)).toBe(true);
      expect(p.contact.countryOfResidenceCode).toBe('1101');
      expect(p.contact.emailAddress).toMatch(/@example\.com\.au$/);
    }
  });

  it('generates the same population (and USIs) for the same seed, and another for a different seed', () => {
    const usis = (seed: number) => Registry.seeded({ population: 50, seed }).people.list().map((p) => `${p.usi} ${p.firstName ?? p.singleName} ${p.dateOfBirth}`);
    expect(usis(42)).toEqual(usis(42));
    expect(usis(42).slice(21)).not.toEqual(usis(43).slice(21));
  });

  it('never generates a second record for a seeded identity', () => {
    const maryams = registry.people.findByIdentity({ firstName: 'maryam', familyName: 'FREDRICK' }, '1966-05-25');
    expect(maryams.map((p) => p.usi)).toEqual(['BNGH7C75FN']);
  });
});
