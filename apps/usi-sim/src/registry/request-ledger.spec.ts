import { decodeRequest, encodeRequest, type OperationRequest } from '@usi/contract';
import { parseXml } from '@usi/ws-security';
import { application, DIRECT, faultOf, manualClock, smallRegistry } from './registry.test-support';

/** What the SOAP endpoint hands the registry: the request as it comes out of the XML decoder. */
function overTheWire<O extends 'CreateUSI' | 'BulkUpload'>(op: O, request: OperationRequest<O>): OperationRequest<O> {
  return decodeRequest(op, parseXml(encodeRequest(op, request)).documentElement!);
}

const person = (familyName: string) => ({
  gender: 'F' as const, firstName: 'Repeat', familyName, dateOfBirth: '1993-03-03',
  countryOfBirthCode: '1101', townCityOfBirth: 'Hobart', isPreferredName: false,
});

describe('RequestId reuse (CreateUSI, BulkUpload)', () => {
  const DAY = 24 * 60 * 60 * 1000;

  it('replays the first CreateUSI answer for the same decoded request a day later', async () => {
    const clock = manualClock();
    const registry = smallRegistry(clock);
    const req = { requestId: 'WIRE-1', orgCode: 'VA1803', application: application({ personalDetails: person('Wireone') }) };
    const first = await registry.handle('CreateUSI', overTheWire('CreateUSI', req), DIRECT);
    clock.advance(DAY + 1);
    const again = await registry.handle('CreateUSI', overTheWire('CreateUSI', req), DIRECT);
    expect(again).toEqual(first);
    expect(first.application.result).toBe('Success');
  });

  it('does not care about member order or absent optional members', async () => {
    const registry = smallRegistry();
    const app = application({ personalDetails: person('Ordered') });
    const first = await registry.handle('CreateUSI', { requestId: 'ORDER-1', orgCode: 'VA1803', application: app }, DIRECT);
    const reversed = Object.fromEntries(Object.entries(app).reverse()) as typeof app;
    const withUndefined = { ...reversed, personalDetails: { ...app.personalDetails, middleName: undefined } };
    const reordered = { application: withUndefined, orgCode: 'VA1803', requestId: 'ORDER-1' };
    await expect(registry.handle('CreateUSI', reordered, DIRECT)).resolves.toEqual(first);
  });

  it('still faults 1002 when the decoded request differs', async () => {
    const registry = smallRegistry();
    const req = { requestId: 'WIRE-2', orgCode: 'VA1803', application: application({ personalDetails: person('Wiretwo') }) };
    await registry.handle('CreateUSI', overTheWire('CreateUSI', req), DIRECT);
    const changed = { ...req, application: { ...req.application, userReference: 'changed' } };
    const fault = await faultOf(() => registry.handle('CreateUSI', overTheWire('CreateUSI', changed), DIRECT));
    expect(fault.errors[0]).toMatchObject({ code: 1002, message: expect.stringContaining('WIRE-2') });
  });

  it('returns the same BulkUpload receipt for the same decoded batch, and refuses a changed one', async () => {
    const registry = smallRegistry();
    const batch = { orgCode: 'VA1803', requestId: 'WIRE-B', noOfApplications: 1, applications: [application({ personalDetails: person('Wirebulk') })] };
    const first = await registry.handle('BulkUpload', overTheWire('BulkUpload', batch), DIRECT);
    await expect(registry.handle('BulkUpload', overTheWire('BulkUpload', batch), DIRECT)).resolves.toEqual(first);
    const changed = { ...batch, applications: [application({ personalDetails: person('Otherbulk') })] };
    await expect(faultOf(() => registry.handle('BulkUpload', overTheWire('BulkUpload', changed), DIRECT))).resolves.toMatchObject({ errors: [{ code: 1002 }] });
  });
});
