import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveEndpoints, UsiClient } from '@usi/client';
import { clientError, DIRECT, startConformanceEnv, type ConformanceEnv } from './support/conformance-env';

const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x>&lol3;</x></s:Body></s:Envelope>';
const EXTERNAL_ENTITY =
  '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x>&xxe;</x></s:Body></s:Envelope>';
const WRONG_NAMESPACE = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x/></s:Body></s:Envelope>';

/**
 * Hostile XML from "upstream": a tiny node:http server stands in for the STS or the USI service and answers with a
 * DOCTYPE / entity bomb. The client must refuse it as upstream.bad_response without expanding anything.
 */
describe('conformance: hostile upstream XML', () => {
  let env: ConformanceEnv;
  let hostile: Server;
  let hostileUrl: string;
  let body = '';

  beforeAll(async () => {
    env = await startConformanceEnv();
    hostile = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/soap+xml' }).end(body));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/service.svc`;
  });
  afterAll(async () => {
    await new Promise((resolve) => hostile?.close(resolve));
    await env?.stop();
  });

  // The token still comes from the simulator, scoped to its own USI URL; only the USI call goes to the hostile server.
  const request = { orgCode: DIRECT.orgCode, usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

  it.each([
    ['an entity bomb', 'xml.doctype_forbidden', BILLION_LAUGHS],
    ['an external entity', 'xml.doctype_forbidden', EXTERNAL_ENTITY],
  ])('from the USI service: %s is upstream.bad_response (%s), never expanded', async (_what, reason, xml) => {
    body = xml;
    const endpoints = resolveEndpoints('sim', { simUrl: env.sim.url, usiUrl: hostileUrl, appliesTo: env.sim.usiUrl });
    const client = env.client({ endpoints });
    const err = await clientError(client.verifyUsi(env.context('direct'), { ...request }));
    expect(err.code).toBe('upstream.bad_response');
    expect(err.details).toMatchObject({ reason });
    expect(JSON.stringify(err.details) + err.message).not.toMatch(/lol|root:/);
  });

  it('from the STS: an entity bomb is upstream.bad_response', async () => {
    body = BILLION_LAUGHS;
    const client: UsiClient = env.client({ endpoints: resolveEndpoints('sim', { simUrl: env.sim.url, stsUrl: hostileUrl }) });
    const err = await clientError(client.verifyUsi(env.context('direct'), { ...request }));
    expect(err.code).toBe('upstream.bad_response');
    expect(err.details).toMatchObject({ reason: 'xml.doctype_forbidden' });
  });

  it('a SOAP 1.1 envelope (wrong namespace) is upstream.bad_response', async () => {
    body = WRONG_NAMESPACE;
    const client = env.client({ endpoints: resolveEndpoints('sim', { simUrl: env.sim.url, usiUrl: hostileUrl, appliesTo: env.sim.usiUrl }) });
    expect((await clientError(client.verifyUsi(env.context('direct'), { ...request }))).code).toBe('upstream.bad_response');
  });
});
