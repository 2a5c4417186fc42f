import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_VERSIONS } from '@usi/contract';
import { createTestCa, listCredentials, TestCa } from '@usi/keystore';
import { routeAdmin } from './admin/admin.router';
import { SimulatorAdmin } from './admin/simulator-admin';
import { FaultInjector } from './faults/fault-injector';
import { RequestCounters } from './faults/request-counters';
import { BodyTooLarge, readBody, sendJson } from './http/http-io';
import { serveProtocol, sendBodyTooLarge } from './http/protocol-endpoint';
import { Registry } from './registry/registry';
import { createServiceIdentityPem, serviceIdentityFromPem } from './state/service-identity';
import { StateDir } from './state/state-dir';
import { STS_PATH, StsService } from './sts/sts.service';
import { StsRequestLog } from './sts/sts-request-log';
import type { RunningSimulator, SimulatorOptions } from './simulator.types';
import { TokenSealer } from './token/token-sealer';
import { TrustStore } from './trust/trust-store';
import { peekOperation, USI_PATH, UsiService, versionAtPath } from './usi/usi.service';

export const DEFAULT_PORT = 7300;
export const DEFAULT_STATE_DIR = './.data/usi-sim';

/** Starts the STS + USI v5 simulator with its admin API on one node:http server. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const baseClock = options.clock ?? (() => new Date());
  const state = new StateDir(options.stateDir ?? DEFAULT_STATE_DIR);
  const ca = TestCa.fromPem(state.loadOrCreate('ca.pem', () => createTestCa({ commonName: 'USI Simulator Test CA', now: baseClock() }).toPem()));
  const service = serviceIdentityFromPem(JSON.parse(state.loadOrCreate('service-identity.json', () => JSON.stringify(createServiceIdentityPem(baseClock())))));

  const trust = new TrustStore();
  trust.add(ca.certificateDer);
  for (const file of options.trustKeystores ?? []) {
    for (const credential of listCredentials(readFileSync(file))) credential.chain.slice(1).forEach((der) => trust.add(der));
  }

  const faults = new FaultInjector();
  const counters = new RequestCounters();
  const registry = Registry.seeded({ clock: baseClock, ...(options.population !== undefined ? { population: options.population } : {}) });
  const stsRequests = new StsRequestLog();
  const outdatedVersions = new Set<string>();
  const admin = new SimulatorAdmin({ registry, counters, faults, ca, clock: baseClock, stsRequests, trust, outdatedVersions });
  const sealer = new TokenSealer(service);
  const relyingParties: string[] = [...(options.extraAppliesTo ?? [])];
  const sts = new StsService({ trust, sealer, notifications: registry.notifications, appliesTo: () => relyingParties, issuer: 'usi-sim', log: stsRequests });
  // One USI service per web-service version, each at its own path (v5 complete, drafts as their evidence shows them).
  const usiServices = new Map(
    SERVICE_VERSIONS.map((version) => [
      version.id,
      new UsiService({ sealer, registry, audiences: () => relyingParties, outdated: () => outdatedVersions }, version),
    ]),
  );
  const log = options.quiet ? () => undefined : (line: string) => process.stdout.write(`${line}\n`);

  const server = createServer((req, res) => {
    const started = Date.now();
    dispatch(req, res)
      .then((outcome) => log(`${new Date().toISOString()} ${req.method} ${req.url} ${outcome} ${Date.now() - started}ms`))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge && !res.headersSent) {
          sendBodyTooLarge(res);
          log(`${new Date().toISOString()} ${req.method} ${req.url} 413 body too large`);
          return;
        }
        log(`${new Date().toISOString()} ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent && !res.destroyed) sendJson(res, 500, { code: 'sim.internal', message: 'internal error' });
      });
  });

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const skewed = (skewMs: number) => new Date(baseClock().getTime() + skewMs);
    if (path.startsWith('/admin/')) return String(await routeAdmin(admin, req, res, path));
    if (req.method === 'POST' && path.toLowerCase() === STS_PATH.toLowerCase()) {
      counters.countSts();
      const target = { kind: 'sts' } as const;
      const now = () => skewed(faults.clockSkewMs(target));
      const status = await serveProtocol(
        req,
        res,
        target,
        faults,
        (xml, plan) => sts.issue(xml, now(), plan.stsFault ? { forceFault: plan.stsFault } : {}),
        undefined,
        now,
      );
      return `sts ${status}`;
    }
    const version = req.method === 'POST' ? versionAtPath(path) : undefined;
    if (version) {
      const usi = usiServices.get(version.id)!;
      const xml = await readBody(req);
      const operation = peekOperation(xml, version);
      counters.countUsi(operation);
      const target = { kind: 'usi', ...(operation ? { operation } : {}) } as const;
      const now = () => skewed(faults.clockSkewMs(target));
      const status = await serveProtocol(
        req,
        res,
        target,
        faults,
        (body, plan) => usi.handle(body, now(), plan.errorCode !== undefined ? { injectErrorCode: plan.errorCode } : {}),
        xml,
        now,
      );
      return `usi ${version.id} ${operation ?? 'unknown'} ${status}`;
    }
    if (req.method === 'GET' && (path === '/' || path === '/health')) {
      sendJson(res, 200, { status: 'ok', sts: STS_PATH, usi: USI_PATH, versions: SERVICE_VERSIONS.map((v) => ({ id: v.id, path: v.endpointPath })) });
      return '200';
    }
    sendJson(res, 404, { code: 'sim.not_found', message: `no route ${req.method} ${path}` });
    return '404';
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const usiUrl = `${url}${USI_PATH}`;
  // Its own service URL of every version is a relying party; v5's first.
  relyingParties.unshift(...SERVICE_VERSIONS.map((v) => `${url}${v.endpointPath}`));
  return {
    url,
    stsUrl: `${url}${STS_PATH}`,
    usiUrl,
    port,
    ca,
    admin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung requests and keep-alive sockets would otherwise hold close() open forever.
        server.closeAllConnections();
      }),
  };
}
