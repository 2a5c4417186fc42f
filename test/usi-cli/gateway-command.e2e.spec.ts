import type { AddressInfo } from 'node:net';
import { USI_EXAMPLES } from '@gateway/usi/http/usi-examples';
import { runUsi } from '../conformance/support/cli-run';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

/** `usi gateway …` against a listening gateway (and the simulator behind it), over HTTP through @usi/gateway-client. */
describe('usi gateway against a running gateway', () => {
  let env: UsiTestEnv;
  let url: string;
  let key: string;
  let orgCode: string;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    await env.gw.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(env.gw.app.getHttpServer().address() as AddressInfo).port}`;
    const vendor = await env.newVendor();
    orgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    key = (await env.gw.newApiKey(vendor.id, { scopes: ['admin', 'usi:verify'] })).key;
  }, 60_000);
  afterAll(() => env?.close());

  const person = USI_EXAMPLES.verify.request;
  const verifyFlags = ['--usi', person.usi, '--first-name', person.firstName, '--family-name', person.familyName, '--dob', person.dateOfBirth];
  const stderrJson = (stderr: string) => JSON.parse(stderr) as Record<string, unknown>;

  it('status: prints the gateway’s GET /v1/status answer, key from USI_GATEWAY_KEY', async () => {
    const run = await runUsi(['gateway', 'status', '--url', url], { env: { USI_GATEWAY_KEY: key } });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ generatedAt: expect.any(String), environments: [expect.objectContaining({ environment: 'sim' })] });
  });

  it('verify: a matching person comes back Valid with every field a Match', async () => {
    const run = await runUsi(['gateway', 'verify', '--url', url, '--key', key, '--org', orgCode, ...verifyFlags]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual(USI_EXAMPLES.verify.response);
    expect(env.counted().usi).toMatchObject({ VerifyUSI: 1 });
  });

  it('a wrong key: the 401 problem with its code and detail, exit 1', async () => {
    const run = await runUsi(['gateway', 'status', '--url', url, '--key', 'usi_wrong_key_0000000000000000']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(stderrJson(run.stderr)).toMatchObject({ code: 'auth.invalid_api_key', message: 'The API key is invalid, expired or revoked', status: 401, requestId: expect.any(String) });
  });

  it('a refusal from the gateway keeps the gateway’s code (unknown organisation: 404)', async () => {
    const run = await runUsi(['gateway', 'verify', '--url', url, '--key', key, '--org', 'NOSUCH', ...verifyFlags]);
    expect(run.code).toBe(1);
    expect(stderrJson(run.stderr)).toMatchObject({ code: 'organisation.not_found', status: 404 });
  });

  it.each([
    [['gateway', 'verify', '--url', 'URL', '--key', 'K', '--org', 'X', '--first-name', 'A', '--family-name', 'B', '--dob', '1990-01-01'], '--usi is required'],
    [['gateway', 'verify', '--url', 'URL', '--key', 'K', ...['--usi', 'BNGH7C75FN', '--single-name', 'A', '--dob', '1990-01-01']], '--org is required'],
    [['gateway', 'status', '--key', 'K'], '--url (or USI_GATEWAY_URL) is required'],
    [['gateway', 'status', '--url', 'http://127.0.0.1:1'], '--key (or USI_GATEWAY_KEY) is required'],
    [['gateway', 'restart', '--url', 'http://127.0.0.1:1', '--key', 'K'], 'usage: usi gateway'],
    [['gateway', 'status', '--url', 'http://127.0.0.1:1', '--key', 'K', '--bogus'], "Unknown option '--bogus'"],
  ])('bad flags %j: usage error (exit 2) before any request', async (argv, message) => {
    const run = await runUsi(argv);
    expect(run.code).toBe(2);
    expect(stderrJson(run.stderr)).toMatchObject({ code: 'cli.usage', message: expect.stringContaining(message) });
  });

  it('an invalid request is refused locally (cli.invalid_request, exit 2)', async () => {
    const run = await runUsi(['gateway', 'verify', '--url', url, '--key', key, '--org', orgCode, ...verifyFlags.slice(0, -1), '1966-13-45']);
    expect(run.code).toBe(2);
    expect(stderrJson(run.stderr)).toMatchObject({ code: 'cli.invalid_request' });
    expect(env.counted().total).toBe(0);
  });

  it('nothing listening: gateway.unreachable, exit 1', async () => {
    const run = await runUsi(['gateway', 'status', '--url', 'http://127.0.0.1:1', '--key', 'K']);
    expect(run.code).toBe(1);
    expect(stderrJson(run.stderr)).toMatchObject({ code: 'gateway.unreachable' });
  });
});
