import { createTestCa } from '@usi/keystore';
import { soapFaultXml } from '@usi/ws-security';
import { MachineCredential } from '../credential/machine-credential';
import { HttpResponse, HttpTransport } from '../http/http-transport';
import { StsClient } from '../sts/sts-client';
import { rstr } from '../testing/rstr.fixture';
import { clientErrorOf } from '../testing/client-error-of';
import { ClockOffsetSample, measureClockOffset } from './clock-offset';

const SENT = new Date('2026-03-01T00:10:00.000Z');
const at = (rttMs = 200) => ({ kind: 'sts' as const, endpoint: 'https://sts.test/sts', sentAt: SENT, receivedAt: new Date(SENT.getTime() + rttMs) });
const withTimestamp = (created: string) =>
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:u="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">' +
  '<s:Header><o:Security xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
  `<u:Timestamp u:Id="_0"><u:Created>${created}</u:Created><u:Expires>2030-01-01T00:00:00.000Z</u:Expires></u:Timestamp>` +
  '</o:Security></s:Header><s:Body/></s:Envelope>';
const res = (body: string, headers: Record<string, string> = {}): HttpResponse => ({ status: 200, body, headers });

describe(measureClockOffset.name, () => {
  it("reads the response Timestamp against the midpoint of the round trip", () => {
    // Midpoint 00:10:00.100; the server stamped 00:16:00.100: six minutes ahead.
    const sample = measureClockOffset(res(withTimestamp('2026-03-01T00:16:00.100Z')), at(200));
    expect(sample).toEqual({
      kind: 'sts',
      endpoint: 'https://sts.test/sts',
      offsetMs: 360_000,
      source: 'timestamp',
      uncertaintyMs: 101,
      measuredAt: new Date(SENT.getTime() + 200),
    });
  });

  it('falls back on the HTTP Date header (whole seconds, counted from the middle of that second)', () => {
    const sample = measureClockOffset(res('<html/>', { date: 'Sun, 01 Mar 2026 00:09:00 GMT' }), at(0));
    expect(sample).toMatchObject({ offsetMs: -59_500, source: 'http-date', uncertaintyMs: 500 });
  });

  it('gives nothing when the response carries no usable time', () => {
    expect(measureClockOffset(res('not xml <Timestamp'), at())).toBeUndefined();
    expect(measureClockOffset(res('', { date: 'yesterday-ish' }), at())).toBeUndefined();
    expect(measureClockOffset(res('', { date: 'Thu, 01 Jan 1970 00:00:00 GMT' }), at())).toBeUndefined();
  });
});

describe('StsClient clock offset', () => {
  let credential: MachineCredential;
  beforeAll(() => {
    const issued = createTestCa({ now: SENT }).issueMachineCredential({ abn: '27809366375', name: 'USIMachine' });
    credential = { id: 'ABRD:27809366375_USIMachine', abn: '27809366375', notAfter: new Date('2028-01-01'), ...issued };
  });

  const client = (reply: HttpResponse, samples: ClockOffsetSample[]) => {
    const transport: HttpTransport = { post: async () => reply };
    return new StsClient({ stsUrl: 'https://sts.test/sts', transport, clock: () => SENT, onClockOffset: (s) => samples.push(s) });
  };

  it('reports the offset of a successful answer', async () => {
    const samples: ClockOffsetSample[] = [];
    await client(res(rstr(), { date: 'Sun, 01 Mar 2026 00:10:30 GMT' }), samples).issue({ credential, appliesTo: 'https://usi.test/usi' });
    expect(samples).toEqual([expect.objectContaining({ kind: 'sts', offsetMs: 30_500, source: 'http-date' })]);
  });

  it('reports the offset of a refusal and puts it on the sts.fault', async () => {
    const samples: ClockOffsetSample[] = [];
    const fault = soapFaultXml({ code: 'Sender', subcode: 'o:MessageExpired', reason: 'The message has expired.' });
    const sts = client({ status: 500, body: fault, headers: { date: 'Sun, 01 Mar 2026 00:16:00 GMT' } }, samples);
    const err = await clientErrorOf(sts.issue({ credential, appliesTo: 'https://usi.test/usi' }));
    expect(err).toMatchObject({ code: 'sts.fault', details: { subcode: 'MessageExpired', clockOffsetMs: 360_500 } });
    expect(samples.map((s) => s.offsetMs)).toEqual([360_500]);
  });

  it('a throwing listener does not fail the token request', async () => {
    const transport: HttpTransport = { post: async () => res(rstr(), { date: 'Sun, 01 Mar 2026 00:10:00 GMT' }) };
    const sts = new StsClient({ stsUrl: 'https://sts.test/sts', transport, clock: () => SENT, onClockOffset: () => { throw new Error('x'); } });
    await expect(sts.issue({ credential, appliesTo: 'https://usi.test/usi' })).resolves.toMatchObject({ proofKey: expect.any(Buffer) });
  });
});
