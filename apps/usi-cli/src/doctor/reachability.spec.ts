import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestCredential } from '../../../../libs/ws-security/src/testing/self-signed-certificate';
import { probeEndpoint } from './reachability';

describe(probeEndpoint.name, () => {
  let server: Server;
  let url: string;
  let certificatePem: string;

  beforeAll(async () => {
    const cred = createTestCredential('localhost');
    certificatePem = cred.certificatePem;
    server = createServer({ key: cred.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: certificatePem }, (_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(server.address() as AddressInfo).port}/R3.0/S007v1.3/service.svc`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resolves the name and completes a TLS handshake whose certificate verifies', async () => {
    const result = await probeEndpoint(url, { timeoutMs: 2000, ca: [certificatePem] });
    expect(result).toEqual({ ok: true, detail: expect.stringMatching(/^DNS localhost → [\d.:a-f]+; TLSv1\.[23] handshake in \d+ ms, certificate for localhost valid until \d{4}-\d\d-\d\d \(0 days\)$/) });
  });

  it('fails a certificate this machine does not trust, saying why', async () => {
    const result = await probeEndpoint(url, { timeoutMs: 2000 });
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/certificate not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
  });

  it('fails a name that does not resolve and a scheme it cannot check', async () => {
    expect(await probeEndpoint('https://no-such-host.invalid/x', { timeoutMs: 2000 })).toEqual({ ok: false, detail: expect.stringMatching(/^DNS: cannot resolve no-such-host\.invalid/) });
    expect(await probeEndpoint('ftp://x/y', { timeoutMs: 100 })).toEqual({ ok: false, detail: 'unsupported scheme ftp:' });
  });
});
