import { isStillProcessing } from '@usi/contract';
import { application, CLOUD, DIRECT, faultOf, manualClock, smallRegistry } from './registry.test-support';

describe('BulkUpload / BulkUploadRetrieve', () => {
  const maryam = application({
    applicationId: 'A2',
    personalDetails: { gender: 'F', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25', countryOfBirthCode: '1101', townCityOfBirth: 'Adelaide', isPreferredName: false },
  });
  const unverified = application({ applicationId: 'A3', dvsDocument: { documentType: 'Passport', documentNumber: 'X7654321' } });
  const batch = { orgCode: 'VA1803', requestId: 'BATCH-1', noOfApplications: 3, applications: [application(), maryam, unverified] };

  function setup(readyAfterMs?: number) {
    const clock = manualClock('2025-10-02T00:00:00.000Z');
    return { clock, registry: smallRegistry(clock, { readyAfterMs }) };
  }

  it('returns a 36-character receipt owned by the submitting organisation', async () => {
    const { registry } = setup();
    const { receiptNumber } = await registry.handle('BulkUpload', batch, DIRECT);
    expect(receiptNumber).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(registry.receiptOwner(receiptNumber)).toBe('VA1803');
    expect(registry.receiptOwner('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('faults 1002 "still being processed" before the batch is ready and answers after it', async () => {
    const { registry, clock } = setup();
    const { receiptNumber } = await registry.handle('BulkUpload', batch, DIRECT);
    clock.advance(1999);
    const early = await faultOf(() => registry.handle('BulkUploadRetrieve', { receiptNumber }, DIRECT));
    expect(early.errors).toEqual([expect.objectContaining({ code: 1002, message: expect.stringContaining('still being processed') })]);
    expect(early.errors.every(isStillProcessing)).toBe(true); // as the gateway's creation jobs recognise it
    clock.advance(1);
    const res = await registry.handle('BulkUploadRetrieve', { receiptNumber }, DIRECT);
    expect(res).toMatchObject({ requestId: 'BATCH-1', noOfApplications: 3, noOfApplicationsFailed: 1 });
    expect(res.applications.map((a) => [a.applicationId, a.result, a.identityDocumentVerified])).toEqual([
      ['A1', 'Success', 'True'], ['A2', 'MatchFound', 'True'], ['A3', 'Failure', 'False'],
    ]);
    expect(res.applications[1].usi).toBe('BNGH7C75FN');
    expect(res.applications[2].errors).toEqual([expect.objectContaining({ code: 'E102' })]);
    expect(res.applications[0].processedDate).toBe('2025-10-02T00:00:02.000Z');
  });

  it('honours a configured processing time and answers later polls identically', async () => {
    const { registry, clock } = setup(10_000);
    const { receiptNumber } = await registry.handle('BulkUpload', batch, DIRECT);
    clock.advance(5000);
    await expect(faultOf(() => registry.handle('BulkUploadRetrieve', { receiptNumber }, DIRECT))).resolves.toBeDefined();
    clock.advance(5000);
    const first = await registry.handle('BulkUploadRetrieve', { receiptNumber }, DIRECT);
    const again = await registry.handle('BulkUploadRetrieve', { receiptNumber }, DIRECT);
    expect(again).toEqual(first);
  });

  it('faults 1002 for an unknown receipt and for another organisation\'s receipt', async () => {
    const { registry, clock } = setup();
    const { receiptNumber } = await registry.handle('BulkUpload', batch, DIRECT);
    clock.advance(5000);
    const unknown = await faultOf(() => registry.handle('BulkUploadRetrieve', { receiptNumber: '11111111-2222-4333-8444-555555555555' }, DIRECT));
    expect(unknown.errors[0]).toMatchObject({ code: 1002, message: expect.stringContaining('could not be found') });
    const foreign = await faultOf(() => registry.handle('BulkUploadRetrieve', { receiptNumber }, CLOUD));
    expect(foreign.errors[0].message).toContain('could not be found');
  });

  it('faults 1002 for duplicate ApplicationIds', async () => {
    const { registry } = setup();
    const dup = { ...batch, requestId: 'DUP', noOfApplications: 2, applications: [application(), application()] };
    const fault = await faultOf(() => registry.handle('BulkUpload', dup, DIRECT));
    expect(fault.errors[0].code).toBe(1002);
  });

  it('returns the same receipt for a repeated RequestId with the same batch', async () => {
    const { registry } = setup();
    const first = await registry.handle('BulkUpload', batch, DIRECT);
    await expect(registry.handle('BulkUpload', structuredClone(batch), DIRECT)).resolves.toEqual(first);
  });
});
