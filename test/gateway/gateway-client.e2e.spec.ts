import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { GatewayClient } from '@usi/gateway-client';
import { buildOpenApiDocument } from '@gateway/openapi-document';
import { USI_EXAMPLES } from '@gateway/usi/http/usi-examples';
import { createUsiTestEnv, UsiTestEnv } from './usi/support/usi-gateway-env';

const SDK_SCRIPT = join(__dirname, '../../scripts/sdk.js');
// scripts/sdk.js is what `npm run sdk` runs; the same functions regenerate here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require(SDK_SCRIPT) as { DOCUMENT_PATH: string; TYPES_PATH: string; documentText(document: unknown): string };

describe('libs/gateway-client: the typed client the OpenAPI document implies', () => {
  it('is generated from the current document (run `npm run sdk` when this fails)', async () => {
    const documentText = sdk.documentText(await buildOpenApiDocument());
    expect(readFileSync(sdk.DOCUMENT_PATH, 'utf8')).toBe(documentText);
    const dir = mkdtempSync(join(tmpdir(), 'gateway-sdk-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), documentText);
      // In a plain Node process: openapi-typescript's dependencies are ES modules, which Jest cannot load.
      const types = execFileSync(process.execPath, [SDK_SCRIPT, 'types', join(dir, 'openapi.json')], { encoding: 'utf8', timeout: 60_000 });
      expect(readFileSync(sdk.TYPES_PATH, 'utf8')).toBe(types);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  describe('against a running gateway and the simulator', () => {
    let env: UsiTestEnv;
    let baseUrl: string;

    beforeAll(async () => {
      env = await createUsiTestEnv();
      await env.gw.app.listen(0, '127.0.0.1');
      baseUrl = `http://127.0.0.1:${(env.gw.app.getHttpServer().address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(() => env?.close());

    it('verifies a USI (typed answer) and lists organisations', async () => {
      const vendor = await env.newVendor();
      const { organisation } = await env.newOrganisation(vendor);
      const client = new GatewayClient({ baseUrl, apiKey: (await env.gw.newApiKey(vendor.id, { scopes: ['admin', 'usi:verify'] })).key, timeoutMs: 10_000 });

      const verified = await client.call('post', '/v1/organisations/{orgCode}/usi/verify', {
        path: { orgCode: organisation.orgCode },
        body: USI_EXAMPLES.verify.request,
      });
      // `data` is typed from the document: the compiler knows VerifyUSI's answer.
      expect(verified.ok && verified.data.usiStatus).toBe('Valid');

      const listed = await client.call('get', '/v1/organisations', { query: { limit: 10 } });
      expect(listed).toMatchObject({ ok: true, status: 200, data: { items: [{ orgCode: organisation.orgCode }] } });
    });

    it('answers a refusal as its problem, with the stable code', async () => {
      const vendor = await env.newVendor();
      const client = new GatewayClient({ baseUrl, apiKey: await env.newKey(vendor) });
      const refused = await client.call('post', '/v1/organisations/{orgCode}/usi/verify', {
        path: { orgCode: 'NOSUCH' },
        body: USI_EXAMPLES.verify.request,
      });
      expect(refused).toMatchObject({ ok: false, status: 404, problem: { code: 'organisation.not_found' } });
    });
  });
});
