import { DIRECT, faultOf, smallRegistry } from './registry.test-support';

describe('VerifyUSI / BulkVerifyUSI', () => {
  const registry = smallRegistry();
  const verify = (req: object) => registry.handle('VerifyUSI', { orgCode: 'VA1803', ...req } as never, DIRECT);

  it('answers Valid with Match for every field of a known person', async () => {
    await expect(verify({ usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' })).resolves.toEqual({
      usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match',
    });
  });

  it('matches names case-insensitively and ignoring surrounding spaces', async () => {
    await expect(verify({ usi: 'BNGH7C75FN', firstName: ' MARYAM ', familyName: 'fredrick', dateOfBirth: '1966-05-25' })).resolves.toMatchObject({
      firstName: 'Match', familyName: 'Match',
    });
  });

  it('reports NoMatch per field', async () => {
    await expect(verify({ usi: 'HQ9HHNJC3J', firstName: 'Bertie', familyName: 'ZYWIEC', dateOfBirth: '1986-04-23' })).resolves.toEqual({
      usiStatus: 'Valid', firstName: 'NoMatch', familyName: 'Match', dateOfBirth: 'NoMatch',
    });
  });

  it('answers the single-name branch for single-name people', async () => {
    await expect(verify({ usi: 'XNY5NV9WG9', singleName: 'amy', dateOfBirth: '2022-06-07' })).resolves.toEqual({
      usiStatus: 'Valid', singleName: 'Match', dateOfBirth: 'Match',
    });
  });

  it.each([
    ['a bad check character', 'XNY5NV9WG8'],
    ['an unknown USI', 'ABCDEFGH2S'],
  ])('answers Invalid without match fields for %s', async (_label, usi) => {
    await expect(verify({ usi, singleName: 'Amy', dateOfBirth: '2022-06-07' })).resolves.toEqual({ usiStatus: 'Invalid' });
  });

  it('answers Deactivated for a deactivated USI', async () => {
    await expect(verify({ usi: 'DG6K5YHPP3', firstName: 'Asfaha', familyName: 'Loflin', dateOfBirth: '1982-12-23' })).resolves.toMatchObject({
      usiStatus: 'Deactivated', firstName: 'Match',
    });
    await expect(verify({ usi: 'R5HQLSWS9Y', singleName: 'Testdeactivated', dateOfBirth: '1963-12-10' })).resolves.toMatchObject({
      usiStatus: 'Deactivated',
    });
  });

  it('answers a batch with RecordId and USI on each response', async () => {
    const response = await registry.handle('BulkVerifyUSI', {
      orgCode: 'VA1803',
      noOfVerifications: 3,
      verifications: [
        { recordId: 1, usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' },
        { recordId: 2, usi: 'C2P5P4UBHP', firstName: 'Nick', familyName: 'Koke', dateOfBirth: '1990-07-02' },
        { recordId: 3, usi: 'XNY5NV9WG8', singleName: 'Amy', dateOfBirth: '2022-06-07' },
      ],
    }, DIRECT);
    expect(response.verificationResponses).toEqual([
      { recordId: 1, usi: 'XNY5NV9WG9', usiStatus: 'Valid', singleName: 'Match', dateOfBirth: 'Match' },
      { recordId: 2, usi: 'C2P5P4UBHP', usiStatus: 'Valid', firstName: 'NoMatch', familyName: 'Match', dateOfBirth: 'Match' },
      { recordId: 3, usi: 'XNY5NV9WG8', usiStatus: 'Invalid' },
    ]);
  });
});

describe('request validation', () => {
  const registry = smallRegistry();

  it('faults 1002 with one ErrorInfo per schema violation', async () => {
    const fault = await faultOf(() =>
      registry.handle('BulkVerifyUSI', {
        orgCode: 'VA1803',
        noOfVerifications: 2,
        verifications: [{ recordId: 1, usi: 'bngh7c75fn', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-13-40' }],
      }, DIRECT),
    );
    expect(fault.errors.length).toBeGreaterThanOrEqual(3);
    expect(fault.errors.every((e) => e.code === 1002 && e.title === 'Generic Validation')).toBe(true);
    expect(fault.errors.map((e) => e.message).join('\n')).toMatch(/verifications\[0\]\.usi/);
  });
});
