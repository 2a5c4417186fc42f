import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCredential, type LoadedCredential } from '@usi/keystore';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@usi/sim';
import { resolveEndpoints, UsiClient, UsiClientError, type CallContext, type UsiClientOptions } from '@usi/client';

/** The two 3PT modes (shared/fixtures/README.md), with credentials issued by the simulator's own CA. */
export const DIRECT = { orgCode: 'VA1803', abn: '27809366375', name: 'USIMachine' } as const;
export const VENDOR = { orgCode: 'VA1802', abn: '11000002568', name: 'INGLETON153', providerAbn: '96312011219', ssid: '0000123400' } as const;
export type Mode = 'direct' | 'actAs';
export const MODES: readonly Mode[] = ['direct', 'actAs'];

/**
 * A clock both sides share: it starts inside the public 3PT credentials' validity whatever the machine date, runs at
 * real speed, and can be moved forward (BulkUpload readiness) without sleeping.
 */
export class TestClock {
  private readonly origin = Date.now();
  private offsetMs = 0;
  constructor(private readonly base = Date.parse('2026-06-01T00:00:00Z')) {}
  readonly now = (): Date => new Date(this.base + (Date.now() - this.origin) + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface ConformanceEnv {
  sim: RunningSimulator;
  clock: TestClock;
  credentials: { direct: LoadedCredential; vendor: LoadedCredential };
  context(mode: Mode): CallContext;
  orgCode(mode: Mode): string;
  client(options?: Partial<UsiClientOptions>): UsiClient;
  stop(): Promise<void>;
}

export async function startConformanceEnv(options: SimulatorOptions = {}): Promise<ConformanceEnv> {
  const stateDir = mkdtempSync(join(tmpdir(), 'usi-conformance-'));
  const clock = new TestClock();
  const sim = await startSimulator({ port: 0, stateDir, quiet: true, population: 20, clock: clock.now, ...options });
  const issue = (who: { abn: string; name: string }) =>
    loadCredential(sim.admin.issueKeystore({ abn: who.abn, name: who.name, password: 'pw', notBefore: new Date(clock.now().getTime() - 60_000).toISOString() }), {
      password: 'pw',
      now: clock.now(),
    });
  const credentials = { direct: issue(DIRECT), vendor: issue(VENDOR) };
  const clients: UsiClient[] = [];
  return {
    sim,
    clock,
    credentials,
    context: (mode) =>
      mode === 'direct'
        ? { credential: credentials.direct }
        : { credential: credentials.vendor, actAs: { firstPartyAbn: VENDOR.abn, secondPartyAbn: VENDOR.providerAbn, ssid: VENDOR.ssid } },
    orgCode: (mode) => (mode === 'direct' ? DIRECT.orgCode : VENDOR.orgCode),
    client: (overrides = {}) => {
      const client = new UsiClient({ endpoints: resolveEndpoints('sim', { simUrl: sim.url }), clock: clock.now, timeoutMs: 10_000, ...overrides });
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The rejection of `promise`, which must be a UsiClientError. */
export async function clientError(promise: Promise<unknown>): Promise<UsiClientError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof UsiClientError)) throw new Error(`expected a UsiClientError, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}
