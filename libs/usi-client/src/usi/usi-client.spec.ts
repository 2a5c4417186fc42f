import { createTestCa } from '@usi/keystore';
import { encodeErrorInfo, encodeResponse, V6_DRAFT } from '@usi/contract';
import { parseXml, selectElements, soapFaultXml, verifyHmac } from '@usi/ws-security';
import { createHash } from 'node:crypto';
import { MachineCredential } from '../credential/machine-credential';
import { Endpoints } from '../endpoints';
import { ExchangeFinished, ExchangeStarted } from '../exchange/exchange-observer';
import { HttpPostOptions, HttpResponse, HttpTransport } from '../http/http-transport';
import { ENCRYPTED_DATA, PROOF, rstr } from '../testing/rstr.fixture';
import { TokenCache } from '../token/token-cache';
import { UsiClient } from './usi-client';
import { clientErrorOf } from '../testing/client-error-of';

const endpoints: Endpoints = { stsUrl: 'https://sts.test/sts', usiUrl: 'https://usi.test/usi', appliesTo: 'https://usi.test/usi' };
const NOW = new Date('2026-03-01T00:10:00.000Z');
const REQUEST = { orgCode: 'VA1803', usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };
const VERIFIED = encodeResponse('VerifyUSI', { usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' });

const envelope = (body: string) => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body>${body}</s:Body></s:Envelope>`;

/** Plays the STS and the USI service; USI replies are queued per test. */
class FakeTransport implements HttpTransport {
  readonly sent: { url: string; body: string; opts: HttpPostOptions }[] = [];
  usiReplies: HttpResponse[] = [];
  events: string[] = [];

  async post(url: string, body: string, opts: HttpPostOptions): Promise<HttpResponse> {
    this.sent.push({ url, body, opts });
    this.events.push(`post ${url === endpoints.stsUrl ? 'sts' : 'usi'}`);
    if (url === endpoints.stsUrl) return { status: 200, body: rstr(), headers: {} };
    return this.usiReplies.shift() ?? { status: 200, body: envelope(VERIFIED), headers: {} };
  }

  usiRequests() {
    return this.sent.filter((s) => s.url === endpoints.usiUrl);
  }
}

describe('UsiClient', () => {
  let credential: MachineCredential;
  let transport: FakeTransport;
  let started: ExchangeStarted[];
  let finished: ExchangeFinished[];
  let client: UsiClient;

  beforeAll(() => {
    const issued = createTestCa({ now: NOW }).issueMachineCredential({ abn: '27809366375', name: 'USIMachine' });
    credential = { id: 'ABRD:27809366375_USIMachine', abn: '27809366375', notAfter: new Date('2028-01-01'), ...issued };
  });

  beforeEach(() => {
    transport = new FakeTransport();
    started = [];
    finished = [];
    const clock = () => NOW;
    client = new UsiClient({
      endpoints,
      transport,
      clock,
      tokenCache: new TokenCache({ clock }),
      observer: {
        started: async (e) => {
          transport.events.push(`started ${e.kind}`);
          started.push(e);
        },
        finished: (e) => {
          transport.events.push(`finished ${e.kind}`);
          finished.push(e);
        },
      },
    });
  });

  it('gets a token, signs the call with the proof key and decodes the response', async () => {
    await expect(client.verifyUsi({ credential }, REQUEST)).resolves.toEqual({
      usiStatus: 'Valid',
      firstName: 'Match',
      familyName: 'Match',
      dateOfBirth: 'Match',
    });
    const [sent] = transport.usiRequests();
    const doc = parseXml(sent.body);
    expect(verifyHmac(doc, PROOF).signedIds).toEqual(['_0']);
    expect(selectElements('/s:Envelope/s:Header/a:Action', doc)[0].textContent).toBe('http://usi.gov.au/2022/ws/VerifyUSI');
    expect(selectElements('/s:Envelope/s:Header/a:To', doc)[0].textContent).toBe(endpoints.usiUrl);
    expect(selectElements('/s:Envelope/s:Header/o:Security/*', doc).map((e) => e.localName)).toEqual(['Timestamp', 'EncryptedData', 'Signature']);
    expect(selectElements('//ds:KeyInfo/o:SecurityTokenReference/o:KeyIdentifier', doc)[0].textContent).toBe('_a1b2');
    expect(sent.body).toContain(ENCRYPTED_DATA);
    expect(selectElements('/s:Envelope/s:Body/usi:VerifyUSI/usi:OrgCode', doc)[0].textContent).toBe('VA1803');
    expect(sent.opts.headers['content-type']).toBe('application/soap+xml; charset=utf-8; action="http://usi.gov.au/2022/ws/VerifyUSI"');
  });

  it('reuses the cached token and reports exchanges to the observer before sending', async () => {
    await client.verifyUsi({ credential, requestId: 'req-1' }, REQUEST);
    await client.verifyUsi({ credential }, REQUEST);
    expect(transport.sent.filter((s) => s.url === endpoints.stsUrl)).toHaveLength(1);
    expect(transport.events).toEqual([
      'started sts', 'post sts', 'finished sts',
      'started usi', 'post usi', 'finished usi',
      'started usi', 'post usi', 'finished usi',
    ]);
    expect(started.filter((e) => e.kind === 'usi').map((e) => e.tokenCacheHit)).toEqual([false, true]);
    expect(started[0]).toMatchObject({ kind: 'sts', operation: 'Issue', requestId: 'req-1', attempt: 1 });
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(started[1].requestSha256).toBe(sha(transport.usiRequests()[0].body));
    expect(finished[1]).toMatchObject({ outcome: 'completed', httpStatus: 200, responseSha256: sha(envelope(VERIFIED)) });
    expect(finished[1].summary).toEqual({ usiStatus: 'Valid', result: 'Match' });
    expect(started[1].requestXml).toBe(transport.usiRequests()[0].body);
    expect(finished[1].responseXml).toBe(envelope(VERIFIED));
  });

  it('maps an ErrorInfo fault to usi.fault with the errors in details', async () => {
    const detail = encodeErrorInfo([{ code: 2002, title: 'Organisation Failed Authorisation', message: 'Not authorised.' }]);
    transport.usiReplies = [{ status: 500, body: soapFaultXml({ code: 'Sender', reason: 'Not authorised.', detailXml: detail }), headers: {} }];
    const err = await clientErrorOf(client.verifyUsi({ credential }, REQUEST));
    expect(err.code).toBe('usi.fault');
    expect(err.details?.errors).toEqual([{ code: 2002, title: 'Organisation Failed Authorisation', message: 'Not authorised.' }]);
    expect(finished.at(-1)).toMatchObject({ outcome: 'failed', httpStatus: 500, error: { code: 'usi.fault', upstreamCode: 2002 } });
  });

  it('maps an ArrayOfErrorInfo fault to every error', async () => {
    const list = [
      { code: 1002, title: 'Generic Validation', message: 'a' },
      { code: 2004, title: 'Unverified Identity', message: 'b' },
    ];
    transport.usiReplies = [{ status: 500, body: soapFaultXml({ code: 'Sender', reason: 'x', detailXml: encodeErrorInfo(list) }), headers: {} }];
    expect((await clientErrorOf(client.verifyUsi({ credential }, REQUEST))).details?.errors).toEqual(list);
  });

  it('retries once with a fresh token when a cached token is rejected', async () => {
    await client.verifyUsi({ credential }, REQUEST);
    const rejected = soapFaultXml({ code: 'Sender', subcode: 'a:InvalidSecurity', reason: 'An error occurred when verifying security for the message.' });
    transport.usiReplies = [{ status: 500, body: rejected, headers: {} }];
    await expect(client.verifyUsi({ credential }, REQUEST)).resolves.toMatchObject({ usiStatus: 'Valid' });
    expect(transport.sent.filter((s) => s.url === endpoints.stsUrl)).toHaveLength(2);
    expect(started.filter((e) => e.kind === 'usi').map((e) => [e.attempt, e.tokenCacheHit])).toEqual([[1, false], [1, true], [2, false]]);
  });

  it('does not retry a security fault on a freshly issued token', async () => {
    transport.usiReplies = [{ status: 500, body: soapFaultXml({ code: 'Sender', subcode: 'a:InvalidSecurity', reason: 'no' }), headers: {} }];
    const err = await clientErrorOf(client.verifyUsi({ credential }, REQUEST));
    expect(err.code).toBe('usi.fault');
    expect(err.details?.errors).toBeUndefined();
    expect(transport.usiRequests()).toHaveLength(1);
  });

  it.each([
    ['a non-SOAP 503', 'upstream.unavailable', { status: 503, body: 'Service Unavailable', headers: {} }],
    ['a DOCTYPE', 'upstream.bad_response', { status: 200, body: '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', headers: {} }],
    ['the wrong response element', 'upstream.bad_response', { status: 200, body: envelope(encodeResponse('GetCountries', { countries: [] })), headers: {} }],
    ['an HTTP 404', 'upstream.http_error', { status: 404, body: envelope(''), headers: {} }],
  ])('maps %s to %s', async (_what, code, reply) => {
    transport.usiReplies = [reply];
    expect((await clientErrorOf(client.verifyUsi({ credential }, REQUEST))).code).toBe(code);
  });

  it('gives the transport only the time left before the deadline and refuses a passed deadline', async () => {
    await client.verifyUsi({ credential, deadline: Date.now() + 5000 }, REQUEST);
    expect(transport.sent.every((s) => s.opts.timeoutMs > 0 && s.opts.timeoutMs <= 5000)).toBe(true);
    const err = await clientErrorOf(client.verifyUsi({ credential, deadline: Date.now() - 1 }, REQUEST));
    expect(err.code).toBe('upstream.timeout');
  });

  it('keys ActAs tokens by provider', async () => {
    const actAs = (secondPartyAbn: string) => ({ firstPartyAbn: credential.abn, secondPartyAbn, ssid: '0000123400' });
    await client.verifyUsi({ credential, actAs: actAs('96312011219') }, REQUEST);
    await client.verifyUsi({ credential, actAs: actAs('53004085616') }, REQUEST);
    const sts = transport.sent.filter((s) => s.url === endpoints.stsUrl);
    expect(sts).toHaveLength(2);
    expect(sts[1].body).toContain('v13:Value="53004085616"');
  });

  it('runs each STS and USI exchange inside the guard, which sees the interpreted outcome and can refuse before anything is observed or sent', async () => {
    const seen: string[] = [];
    let refuse: 'sts' | 'usi' | undefined;
    const guarded = new UsiClient({
      endpoints,
      transport,
      clock: () => NOW,
      tokenCache: new TokenCache({ clock: () => NOW }),
      observer: { started: (e) => void transport.events.push(`started ${e.kind}`), finished: (e) => void transport.events.push(`finished ${e.kind}`) },
      guard: async (kind, exchange) => {
        if (kind === refuse) throw new Error(`${kind} refused`);
        transport.events.push(`guard ${kind}`);
        try {
          return await exchange();
        } catch (err) {
          seen.push(`${kind} ${(err as { code?: string }).code}`);
          throw err;
        }
      },
    });
    refuse = 'sts';
    await expect(guarded.verifyUsi({ credential }, REQUEST)).rejects.toThrow('sts refused');
    expect(transport.events).toEqual([]);

    refuse = undefined;
    const detail = encodeErrorInfo([{ code: 1001, title: 'Service Unavailable', message: 'x' }]);
    transport.usiReplies = [{ status: 500, body: soapFaultXml({ code: 'Receiver', reason: 'x', detailXml: detail }), headers: {} }];
    await clientErrorOf(guarded.verifyUsi({ credential }, REQUEST));
    expect(transport.events).toEqual(['guard sts', 'started sts', 'post sts', 'finished sts', 'guard usi', 'started usi', 'post usi', 'finished usi']);
    expect(seen).toEqual(['usi usi.fault']);

    refuse = 'usi';
    transport.events = [];
    await expect(guarded.verifyUsi({ credential }, REQUEST)).rejects.toThrow('usi refused');
    expect(transport.events).toEqual([]);
  });

  it("speaks the configured web-service version: its actions, body namespace and replies", async () => {
    const v6 = new UsiClient({ endpoints, transport, clock: () => NOW, version: V6_DRAFT });
    transport.usiReplies = [{ status: 200, body: envelope(encodeResponse('VerifyUSI', { usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' }, V6_DRAFT)), headers: {} }];
    await expect(v6.verifyUsi({ credential }, REQUEST)).resolves.toMatchObject({ usiStatus: 'Valid' });
    const [sent] = transport.usiRequests();
    expect(sent.opts.headers['content-type']).toContain('action="http://usi.gov.au/2026/ws/VerifyUSI"');
    expect(sent.body).toContain('<VerifyUSI xmlns="http://usi.gov.au/2026/ws">');
    // A v5 reply to a v6 request is not the answer asked for.
    transport.usiReplies = [{ status: 200, body: envelope(VERIFIED), headers: {} }];
    expect((await clientErrorOf(v6.verifyUsi({ credential }, REQUEST))).code).toBe('upstream.bad_response');
  });
});
