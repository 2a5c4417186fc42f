import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UndiciHttpTransport, type HttpTransport } from '@usi/client';
import { NS } from '@usi/ws-security';
import { startConformanceEnv, VENDOR, type ConformanceEnv } from './support/conformance-env';

const XMLSEC1 = ['/usr/bin/xmlsec1', '/usr/local/bin/xmlsec1'].find((p) => existsSync(p));
const describeXmlsec = XMLSEC1 || process.env.CI ? describe : describe.skip;
if (!XMLSEC1 && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn('[conformance xmlsec1] skipped: xmlsec1 is not installed; CI fails instead');
}
const ID_ATTRS = [`${NS.wsu}:Timestamp`, `${NS.wsa}:To`, `${NS.wsse}:BinarySecurityToken`].flatMap((e) => ['--id-attr:Id', e]);

/** The exact bytes the client sent to the simulator (STS request with ActAs, then a USI call) checked by xmlsec1. */
describeXmlsec('conformance: the client\'s messages as sent verify with xmlsec1', () => {
  let env: ConformanceEnv;
  let dir: string;
  const sent: { url: string; body: string }[] = [];

  beforeAll(async () => {
    if (!XMLSEC1) throw new Error('xmlsec1 is required in CI but was not found');
    env = await startConformanceEnv();
    dir = mkdtempSync(join(tmpdir(), 'usi-conformance-xmlsec1-'));
  });
  afterAll(async () => {
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function xmlsec(name: string, xml: string, keyArgs: string[]): string {
    const file = join(dir, `${name}.xml`);
    writeFileSync(file, xml);
    const run = spawnSync(XMLSEC1!, ['--verify', ...ID_ATTRS, ...keyArgs, '--enabled-reference-uris', 'same-doc', file], { encoding: 'utf8' });
    return `${run.status === 0 ? 'OK' : 'FAIL'}\n${run.stdout}${run.stderr}`;
  }

  it('RST (RSA-SHA256, ActAs) with the leaf certificate, and the HMAC-SHA1 USI call with the issued proof key', async () => {
    const inner = new UndiciHttpTransport();
    const recording: HttpTransport = {
      post: (url, body, opts) => {
        sent.push({ url, body });
        return inner.post(url, body, opts);
      },
    };
    const client = env.client({ transport: recording });
    const ctx = env.context('actAs');
    try {
      const { token } = await client.acquireToken(ctx);
      await expect(
        client.verifyUsi(ctx, { orgCode: VENDOR.orgCode, usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' }),
      ).resolves.toMatchObject({ usiStatus: 'Valid' });
      const [rst, usiCall] = sent;
      expect([rst.url, usiCall.url]).toEqual([env.sim.stsUrl, env.sim.usiUrl]);

      const pem = join(dir, 'leaf.pem');
      writeFileSync(pem, new X509Certificate(env.credentials.vendor.certificateDer).toString());
      const rstResult = xmlsec('rst', rst.body, ['--pubkey-cert-pem', pem]);
      expect(rstResult).toMatch(/^OK/);
      expect(rstResult).toContain('SignedInfo References (ok/all): 2/2');

      const key = join(dir, 'proof.bin');
      writeFileSync(key, token.proofKey);
      const usiResult = xmlsec('usi', usiCall.body, ['--hmackey', key]);
      expect(usiResult).toMatch(/^OK/);
      expect(usiResult).toContain('SignedInfo References (ok/all): 1/1');

      // And the same check fails for a certificate that did not sign.
      const otherPem = join(dir, 'other.pem');
      writeFileSync(otherPem, new X509Certificate(env.credentials.direct.certificateDer).toString());
      expect(xmlsec('rst-other', rst.body, ['--pubkey-cert-pem', otherPem])).toMatch(/^FAIL/);
    } finally {
      await inner.close();
    }
  });
});
