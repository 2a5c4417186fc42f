import { createTestCa, writeKeystore } from '@usi/keystore';
import { encodeResponse } from '@usi/contract';
import type { HttpPostOptions, HttpResponse, HttpTransport } from '@usi/client';
import { soapFaultXml } from '@usi/ws-security';
import { PROOF, rstr } from '../../../libs/usi-client/src/testing/rstr.fixture';
import { CliIo } from './cli-io';
import { runCli } from './cli';

const NOW = new Date('2026-03-01T00:10:00.000Z');
const PASSWORD = 'Password1!';

class FakeUpstream implements HttpTransport {
  readonly sent: { url: string; body: string }[] = [];
  usiReply: HttpResponse = {
    status: 200,
    body: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${encodeResponse('VerifyUSI', { usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' })}</s:Body></s:Envelope>`,
    headers: {},
  };

  async post(url: string, body: string, _opts: HttpPostOptions): Promise<HttpResponse> {
    this.sent.push({ url, body });
    return url.includes('/R3.0/') ? { status: 200, body: rstr(), headers: {} } : this.usiReply;
  }
}

describe('runCli', () => {
  let keystoreXml: string;
  let files: Record<string, string>;
  let upstream: FakeUpstream;
  let out: string[];
  let err: string[];

  beforeAll(() => {
    const ca = createTestCa({ now: NOW });
    const entry = (abn: string, name: string) => ({ abn, name, ...ca.issueMachineCredential({ abn, name }) });
    keystoreXml = writeKeystore([entry('27809366375', 'USIMachine'), entry('11000002568', 'INGLETON153')], PASSWORD);
  });

  beforeEach(() => {
    files = { 'ks.xml': keystoreXml };
    upstream = new FakeUpstream();
    out = [];
    err = [];
  });

  const io = (env: Record<string, string> = {}): CliIo => ({
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    clock: () => NOW,
    transport: upstream,
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return files[path];
    },
  });
  const stdoutJson = () => JSON.parse(out.join(''));
  const stderrJson = () => JSON.parse(err.join(''));
  const CRED = ['--keystore', 'ks.xml', '--alias', 'ABRD:27809366375_USIMachine', '--password', PASSWORD];

  it('check-usi reports validity and the expected check character', async () => {
    expect(await runCli(['check-usi', 'BNGH7C75FN'], io())).toBe(0);
    expect(stdoutJson()).toEqual({ usi: 'BNGH7C75FN', valid: true, expectedCheckCharacter: 'N' });
    out = [];
    expect(await runCli(['check-usi', 'BNGH7C75FA'], io())).toBe(0);
    expect(stdoutJson()).toEqual({ usi: 'BNGH7C75FA', valid: false, expectedCheckCharacter: 'N' });
  });

  it('keystore inspect lists public facts only', async () => {
    expect(await runCli(['keystore', 'inspect', '--keystore', 'ks.xml'], io())).toBe(0);
    const list = stdoutJson();
    expect(list.map((c: { id: string }) => c.id)).toEqual(['ABRD:27809366375_USIMachine', 'ABRD:11000002568_INGLETON153']);
    expect(Object.keys(list[0]).sort()).toEqual(['abn', 'expired', 'id', 'name', 'notAfter', 'notBefore', 'serialNumber', 'sha1Fingerprint']);
  });

  it('keystore inspect without a password says on stderr that nothing private was checked', async () => {
    expect(await runCli(['keystore', 'inspect', '--keystore', 'ks.xml'], io())).toBe(0);
    expect(err.join('')).toContain('no --password given');
  });

  it('keystore inspect checks a given password against every private key: right → listed, wrong → keystore.wrong_password, exit 1', async () => {
    expect(await runCli(['keystore', 'inspect', '--keystore', 'ks.xml', '--password', PASSWORD], io())).toBe(0);
    expect(stdoutJson()).toHaveLength(2);
    expect(err.join('')).toBe('');
    out = [];
    expect(await runCli(['keystore', 'inspect', '--keystore', 'ks.xml', '--password', 'WRONG'], io())).toBe(1);
    expect(out.join('')).toBe('');
    expect(stderrJson()).toMatchObject({ code: 'keystore.wrong_password' });
    err = [];
    expect(await runCli(['keystore', 'inspect', '--keystore', 'ks.xml'], io({ USI_KEYSTORE_PASSWORD: 'WRONG' }))).toBe(1);
    expect(stderrJson().code).toBe('keystore.wrong_password');
  });

  it.each([
    [['keystore', 'inspect', '--keystore', 'missing.xml']],
    [['verify', '--keystore', 'missing.xml', '--alias', 'X', '--password', PASSWORD, '--org', 'VA1803', '--usi', 'BNGH7C75FN', '--single-name', 'A', '--dob', '1966-05-25']],
  ])('a missing keystore file is keystore.not_found naming the path, not internal (%j)', async (argv) => {
    expect(await runCli(argv, io())).toBe(1);
    expect(stderrJson()).toMatchObject({ code: 'keystore.not_found', path: 'missing.xml' });
    expect(upstream.sent).toHaveLength(0);
  });

  it('a missing --file is cli.file.not_found naming the path', async () => {
    expect(await runCli(['countries', ...CRED, '--org', 'VA1803', '--file', 'nope.json'], io())).toBe(1);
    expect(stderrJson()).toMatchObject({ code: 'cli.file.not_found', path: 'nope.json' });
  });

  it.each([
    [['frobnicate']],
    [['check-usi', 'A', '--bogus']],
    [['verify', ...CRED]],
    [['verify', ...CRED, '--org', 'VA1803', '--usi', 'BNGH7C75FN', '--single-name', 'Amy', '--dob', '1966-05-25', '--act-as-abn', '96312011219']],
  ])('exits 2 with a cli.usage error for %j', async (argv) => {
    expect(await runCli(argv, io())).toBe(2);
    expect(stderrJson().code).toBe('cli.usage');
    expect(upstream.sent).toHaveLength(0);
  });

  it('verify builds the request from flags, adds --org and prints the decoded response', async () => {
    const argv = ['verify', ...CRED, '--org', 'VA1803', '--usi', 'BNGH7C75FN', '--first-name', 'Maryam', '--family-name', 'Fredrick', '--dob', '1966-05-25'];
    expect(await runCli(argv, io())).toBe(0);
    expect(stdoutJson()).toEqual({ usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' });
    const usiCall = upstream.sent.find((s) => s.url.includes('usiservice'));
    expect(usiCall?.body).toContain('<OrgCode>VA1803</OrgCode>');
    expect(upstream.sent[0].url).toBe('http://127.0.0.1:7300/R3.0/S007v1.3/service.svc');
  });

  it('validates a --file request before any network call and rejects orgCode in the file', async () => {
    files['bad.json'] = JSON.stringify({ verifications: [{ recordId: 1, usi: 'nope' }] });
    expect(await runCli(['bulk-verify', ...CRED, '--org', 'VA1803', '--file', 'bad.json'], io())).toBe(2);
    expect(stderrJson()).toMatchObject({ code: 'cli.invalid_request', errors: expect.any(Array) });
    err = [];
    files['org.json'] = JSON.stringify({ orgCode: 'VA1803' });
    expect(await runCli(['countries', ...CRED, '--org', 'VA1803', '--file', 'org.json'], io())).toBe(2);
    expect(upstream.sent).toHaveLength(0);
  });

  it('token prints metadata but never the token or proof key', async () => {
    expect(await runCli(['token', ...CRED, '--act-as-abn', '96312011219', '--ssid', '0000123400'], io({}))).toBe(0);
    const printed = out.join('');
    expect(stdoutJson()).toMatchObject({
      expires: '2026-03-01T01:00:00.000Z',
      tokenCacheHit: false,
      cacheKey: { credentialId: 'ABRD:27809366375_USIMachine', secondPartyAbn: '96312011219', ssid: '0000123400' },
    });
    expect(printed).not.toContain(PROOF.toString('base64'));
    expect(printed).not.toContain('CipherValue');
  });

  it('takes the password from USI_KEYSTORE_PASSWORD and reports a wrong one as JSON with exit 1', async () => {
    const noPassword = CRED.slice(0, 4);
    expect(await runCli(['token', ...noPassword], io({ USI_KEYSTORE_PASSWORD: PASSWORD }))).toBe(0);
    err = [];
    expect(await runCli(['token', ...noPassword], io({ USI_KEYSTORE_PASSWORD: 'wrong' }))).toBe(1);
    expect(stderrJson().code).toBe('keystore.wrong_password');
    expect(err.join('')).not.toContain('wrong"');
  });

  it('reports a USI fault on stderr with exit 1', async () => {
    upstream.usiReply = { status: 500, body: soapFaultXml({ code: 'Receiver', reason: 'down for maintenance' }), headers: {} };
    expect(await runCli(['countries', ...CRED, '--org', 'VA1803', '--env', 'sim', '--sim-url', 'http://sim:1'], io())).toBe(1);
    expect(stderrJson()).toMatchObject({ code: 'usi.fault', reason: 'down for maintenance' });
    expect(upstream.sent[0].url).toBe('http://sim:1/R3.0/S007v1.3/service.svc');
  });
});
