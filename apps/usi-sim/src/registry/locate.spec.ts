import type { LocateUsiRequest } from '@usi/contract';
import { DIRECT, smallRegistry } from './registry.test-support';

describe('LocateUSI', () => {
  const registry = smallRegistry();
  const olivia = { gender: 'F' as const, firstName: 'Olivia', familyName: 'Harcastle', dateOfBirth: '1992-03-14' };
  const jordan = { gender: 'M' as const, firstName: 'Jordan', familyName: 'Quillfeather', dateOfBirth: '1995-07-07' };
  const locate = (personalDetails: LocateUsiRequest['personalDetails'], contactDetails: LocateUsiRequest['contactDetails'] = {}) =>
    registry.handle('LocateUSI', { orgCode: 'VA1803', userReference: 'spec', personalDetails, contactDetails }, DIRECT);

  it('Exact: one identical person whose email matches, with the USI', async () => {
    const res = await locate({ ...olivia, firstName: 'OLIVIA' }, { emailAddress: 'Olivia.Harcastle@example.com.au' });
    expect(res).toMatchObject({ result: 'Exact', usi: 'LCXCT7A2QR' });
    expect(res.contactDetailsMessage).toMatch(/match/);
  });

  it('Exact also on a matching mobile number or street address', async () => {
    await expect(locate(olivia, { phone: { mobile: '0400 111 222' } })).resolves.toMatchObject({ result: 'Exact' });
    await expect(locate(olivia, { nationalAddress: { address1: '12 wattle rd', suburbTownCity: 'BALLARAT', state: 'VIC', postCode: '3350' } }))
      .resolves.toMatchObject({ result: 'Exact' });
  });

  it('SingleNoContactMatch: identical person, contact details differ; the USI is withheld', async () => {
    const res = await locate(olivia, { emailAddress: 'someone.else@example.com' });
    expect(res).toMatchObject({ result: 'SingleNoContactMatch', usi: '' });
    expect(res.contactDetailsMessage).toMatch(/contact details supplied do not match/);
  });

  it('MultipleExact: two identical records whose contact details match', async () => {
    await expect(locate(jordan, { emailAddress: 'jordan.quillfeather@example.com.au' })).resolves.toMatchObject({ result: 'MultipleExact', usi: '' });
  });

  it('MultipleNoContactMatch: two identical records, no contact match', async () => {
    await expect(locate(jordan, { emailAddress: 'nobody@example.com' })).resolves.toMatchObject({ result: 'MultipleNoContactMatch' });
  });

  it('NoIdenticalStrongPartial: date of birth and family name match, first name does not', async () => {
    await expect(locate({ ...olivia, firstName: 'Livia' })).resolves.toMatchObject({ result: 'NoIdenticalStrongPartial', usi: '' });
  });

  it('NoIdenticalStrongPartial: same name and date of birth but another gender', async () => {
    await expect(locate({ ...olivia, gender: 'X' }, { emailAddress: 'olivia.harcastle@example.com.au' })).resolves.toMatchObject({
      result: 'NoIdenticalStrongPartial',
    });
  });

  it('NoMatch: nothing shares the date of birth and a name', async () => {
    await expect(locate({ ...olivia, firstName: 'Nobody', familyName: 'Atall' })).resolves.toMatchObject({ result: 'NoMatch', usi: '' });
    await expect(locate({ ...olivia, dateOfBirth: '1992-03-15' })).resolves.toMatchObject({ result: 'NoMatch' });
  });
});
