/**
 * CPU cost of the protocol work around one network call, without the network: a signed VerifyUSI (build + HMAC
 * sign + serialise + parse of a canned response) and an STS request (RST build + RSA-SHA256 sign + RSTR parse).
 * The VerifyUSI case carries a token issued by the simulator's STS (an encrypted SAML assertion of the real size),
 * fetched once before timing; the hand-written fixture token is ~20 times smaller and flattered the figure.
 * Prints a JSON line per case; targets are ≤ 0.5 ms and ≤ 5 ms per op.
 * Usage: node dist/bench/protocol.bench.js [iterations]
 */
import { cpus } from 'node:os';
import { encodeResponse, USI_NS } from '../libs/usi-contract/src';
import { SAMPLE_REQUESTS, SAMPLE_RESPONSES } from '../libs/usi-contract/src/testing/sample-messages';
import { createTestCa } from '../libs/m2m-keystore/src';
import { buildRst } from '../libs/usi-client/src/sts/rst.builder';
import { parseRstr } from '../libs/usi-client/src/sts/rstr.parser';
import { buildUsiRequest } from '../libs/usi-client/src/usi/usi-request.builder';
import { parseUsiResponse } from '../libs/usi-client/src/usi/usi-response.parser';
import { rstr } from '../libs/usi-client/src/testing/rstr.fixture';
import { resolveEndpoints, SecurityToken, UsiClient } from '../libs/usi-client/src';
import { NS } from '../libs/ws-security/src';
import { startSimulator } from '../apps/usi-sim/src';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STS_URL = 'https://softwareauthorisations.evte.ato.gov.au/R3.0/S007v1.3/service.svc';
const USI_URL = 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc';
const iterations = Math.max(2000, Number(process.argv[2] ?? 5000));
const warmup = Math.ceil(iterations / 4);

interface CaseResult {
  case: string;
  iterations: number;
  cpuMeanMs: number;
  wallMeanMs: number;
  p50Ms: number;
  p99Ms: number;
  targetMs: number;
  withinTarget: boolean;
}

function measure(name: string, targetMs: number, op: () => void): CaseResult {
  for (let i = 0; i < warmup; i++) op();
  const samples = new Float64Array(iterations);
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    op();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  samples.sort();
  const cpuMeanMs = (cpu.user + cpu.system) / 1000 / iterations;
  const round = (n: number) => Number(n.toFixed(4));
  return {
    case: name,
    iterations,
    cpuMeanMs: round(cpuMeanMs),
    wallMeanMs: round(wallMs / iterations),
    p50Ms: round(samples[Math.floor(iterations * 0.5)]),
    p99Ms: round(samples[Math.floor(iterations * 0.99)]),
    targetMs,
    withinTarget: cpuMeanMs <= targetMs,
  };
}

const credential = (() => {
  const issued = createTestCa({ commonName: 'bench CA' }).issueMachineCredential({ abn: '27809366375', name: 'Bench' });
  return { id: 'ABRD:27809366375_Bench', abn: '27809366375', certificateDer: issued.certificateDer, privateKey: issued.privateKey, notAfter: new Date(Date.now() + 86_400_000) };
})();

/** A real token for VA1803 from the simulator's STS (direct mode), so the signed message has its production size. */
async function simulatorToken(): Promise<SecurityToken> {
  const sim = await startSimulator({ port: 0, stateDir: mkdtempSync(join(tmpdir(), 'usi-bench-proto-')), quiet: true });
  const client = new UsiClient({ endpoints: resolveEndpoints('sim', { simUrl: sim.url }), timeoutMs: 10_000 });
  try {
    const issued = sim.ca.issueMachineCredential({ abn: '27809366375', name: 'Bench' });
    const simCredential = { ...credential, certificateDer: issued.certificateDer, privateKey: issued.privateKey, chain: issued.chain };
    return (await client.acquireToken({ credential: simCredential })).token;
  } finally {
    await client.close();
    await sim.close();
  }
}
const verifyResponse = {
  status: 200,
  headers: {},
  body:
    `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.wsa}"><s:Header><a:Action s:mustUnderstand="1">${USI_NS}/IUSIService/VerifyUSIResponse</a:Action></s:Header>` +
    `<s:Body>${encodeResponse('VerifyUSI', SAMPLE_RESPONSES.VerifyUSI)}</s:Body></s:Envelope>`,
};
const stsResponse = { status: 200, headers: {}, body: rstr() };

async function main(): Promise<void> {
  const token = await simulatorToken();
  const results = [
    measure(`signed VerifyUSI (build + HMAC sign + parse response), simulator token of ${token.tokenXml.length} chars`, 0.5, () => {
      const { xml } = buildUsiRequest({ op: 'VerifyUSI', request: SAMPLE_REQUESTS.VerifyUSI, token, usiUrl: USI_URL, now: new Date() });
      if (xml.length === 0) throw new Error('empty request');
      parseUsiResponse('VerifyUSI', verifyResponse, USI_URL);
    }),
    measure('STS request (RST build + RSA-SHA256 sign + RSTR parse)', 5, () => {
      const { xml } = buildRst({ credential, stsUrl: STS_URL, appliesTo: USI_URL, lifetimeSeconds: 3600, now: new Date() });
      if (xml.length === 0) throw new Error('empty request');
      parseRstr(stsResponse, STS_URL);
    }),
  ];
  const env = { date: new Date().toISOString(), nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version };
  for (const r of results) process.stdout.write(`${JSON.stringify({ ...r, ...env })}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`protocol bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
