import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Agent, request } from 'undici';
import { loadCredential, writeKeystore } from '@usi/keystore';
import { resolveEndpoints, UsiClient } from '@usi/client';
import { startSimulator } from '@usi/sim';
import { DEMO } from '../apps/gateway/src/bootstrap/demo-seed.service';
import { createBenchDatabase, seedTenant, startGatewayProcess, stopChild, tempStateDir } from './gateway/bench-setup';
import { LoadResult, mergeLoads, percentile, runLoad } from './gateway/latency-stats';
import { childCpuMs, selfCpuMs } from './gateway/process-cpu';
import { DataSource } from 'typeorm';
import { PostgresRateLimitStore } from '../apps/gateway/src/rate-limit/postgres-rate-limit.store';
import { RedisRateLimitStore } from '../apps/gateway/src/rate-limit/redis-rate-limit.store';
import { RateLimitStore } from '../apps/gateway/src/rate-limit/rate-limit.types';

/**
 * Gateway throughput and added latency against the same client library calling the simulator directly, in one run, the two paths alternating in slices (see `interleaved`).
 * Layout (2 cores shared realistically): the simulator and the load generator in this process, the gateway as a child
 * process (`node dist/apps/gateway/src/main.js`), Postgres from DATABASE_TEST_URL, Redis for rate limits when
 * reachable at BENCH_REDIS_URL (default redis://127.0.0.1:6379; set BENCH_REDIS_URL= to use the Postgres limiter).
 * Operation: VerifyUSI in ActAs mode for VA1802 (simulator latency 0 ms). Limits are raised so nothing is refused,
 * but every request still passes through the limiter.
 */
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8000);
const WARMUP_MS = 1500;
const SLICE_MS = 2000;
const ADMIN_URL = process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const VERIFY = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0, stateDir: tempStateDir(), quiet: true });
  const db = await createBenchDatabase(ADMIN_URL);
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: db.appUrl,
    DATABASE_MIGRATION_URL: db.ownerUrl,
    MASTER_KEY: randomBytes(32).toString('base64'),
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    USI_ENV: 'sim',
    USI_SIM_URL: sim.url,
    RATE_LIMIT_VENDOR_PER_MINUTE: '100000000',
    RATE_LIMIT_ORG_PER_MINUTE: '100000000',
    ...(REDIS_URL ? { REDIS_URL, RATE_LIMIT_REDIS_PREFIX: `bench:${randomBytes(4).toString('hex')}:` } : {}),
  };
  const demo = await seedTenant(env, sim);
  const gateway = await startGatewayProcess(env);

  const password = randomBytes(12).toString('hex');
  const issued = sim.ca.issueMachineCredential({ abn: DEMO.vendor.abn, name: DEMO.credentialName });
  const credential = loadCredential(
    writeKeystore([{ abn: DEMO.vendor.abn, name: DEMO.credentialName, chain: issued.chain, privateKey: issued.privateKey }], password),
    { password },
  );
  const client = new UsiClient({ endpoints: resolveEndpoints('sim', { simUrl: sim.url }), timeoutMs: 10_000 });
  const ctx = {
    credential,
    actAs: { firstPartyAbn: DEMO.vendor.abn, secondPartyAbn: DEMO.organisation.abn, ssid: DEMO.softwareId },
  };
  const direct = async () => {
    await client.verifyUsi(ctx, { orgCode: DEMO.organisation.orgCode, ...VERIFY });
  };

  const agent = new Agent({ connections: 64, pipelining: 1 });
  const verifyUrl = `${gateway.url}/v1/organisations/${demo.orgCode}/usi/verify`;
  const body = JSON.stringify(VERIFY);
  const viaGateway = async () => {
    const res = await request(verifyUrl, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`gateway ${res.statusCode}: ${text.slice(0, 300)}`);
  };

  try {
    await direct();
    await viaGateway();
    const rows: Row[] = [];
    let txPerRequest = NaN;
    for (const concurrency of [1, 32]) {
      await runLoad(direct, concurrency, WARMUP_MS);
      await runLoad(viaGateway, concurrency, WARMUP_MS);
      const commitsBefore = await commits(db.ownerUrl);
      const row = await interleaved(direct, viaGateway, concurrency, gateway.child.pid!);
      // Only the gateway path touches Postgres, so the commits of the run are the gateway's.
      if (concurrency === 1) txPerRequest = ((await commits(db.ownerUrl)) - commitsBefore) / row.gateway.requests;
      rows.push(row);
    }
    report(rows, env.REDIS_URL ? 'redis' : 'postgres');
    process.stdout.write(`Postgres transactions per gateway request (concurrency 1): ${txPerRequest.toFixed(1)}\n`);
    await limiterCost(db.appUrl, REDIS_URL);
  } finally {
    await stopChild(gateway.child);
    await agent.close();
    await client.close();
    await sim.close();
    await db.drop();
  }
}

/**
 * DURATION_MS of each path at `concurrency`, alternating in SLICE_MS slices so that both see the same machine: on a
 * shared VM the throughput of either path moves by 20-30 % between consecutive runs, and two back-to-back blocks
 * turned that drift into "added latency". Percentiles are over all samples of a path; CPU is summed over its slices.
 */
async function interleaved(direct: () => Promise<void>, viaGateway: () => Promise<void>, concurrency: number, gatewayPid: number): Promise<Row> {
  const slices = { direct: [] as LoadResult[], gateway: [] as LoadResult[] };
  const cpu = { direct: 0, gateway: 0, bench: 0 };
  for (let elapsed = 0; elapsed < DURATION_MS; elapsed += SLICE_MS) {
    const s0 = selfCpuMs();
    slices.direct.push(await runLoad(direct, concurrency, SLICE_MS));
    const [g0, s1] = [childCpuMs(gatewayPid), selfCpuMs()];
    cpu.direct += s1 - s0;
    slices.gateway.push(await runLoad(viaGateway, concurrency, SLICE_MS));
    cpu.gateway += childCpuMs(gatewayPid) - g0;
    cpu.bench += selfCpuMs() - s1;
  }
  const [d, g] = [mergeLoads(slices.direct), mergeLoads(slices.gateway)];
  return {
    concurrency,
    direct: { ...d, cpuMs: cpu.direct / Math.max(1, d.requests) },
    gateway: { ...g, gatewayCpuMs: cpu.gateway / Math.max(1, g.requests), benchCpuMs: cpu.bench / Math.max(1, g.requests) },
  };
}

/** Committed transactions in the bench database (the statistics collector lags: wait for it). */
async function commits(url: string): Promise<number> {
  await new Promise((r) => setTimeout(r, 1200));
  const ds = await new DataSource({ type: 'postgres', url, extra: { max: 1 } }).initialize();
  try {
    const [row] = await ds.query(`select xact_commit::float8 as n from pg_stat_database where datname = current_database()`);
    return Number(row.n);
  } finally {
    await ds.destroy();
  }
}

/** What the rate limiter alone costs per request (one take of the vendor + organisation buckets), per backend. */
async function limiterCost(appUrl: string, redisUrl: string): Promise<void> {
  const ds = await new DataSource({ type: 'postgres', url: appUrl, extra: { max: 4 } }).initialize();
  const stores: RateLimitStore[] = [new PostgresRateLimitStore(ds)];
  if (redisUrl) stores.push(new RedisRateLimitStore(redisUrl, `bench:${randomBytes(4).toString('hex')}:`));
  for (const store of stores) {
    const buckets = [
      { key: `{v}:v:${randomBytes(4).toString('hex')}`, limit: 1e9, name: 'vendor' },
      { key: `{v}:o:${randomBytes(4).toString('hex')}`, limit: 1e9, name: 'organisation' },
    ];
    const samples: number[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const t0 = performance.now();
      await store.take(buckets, 60_000);
      if (i >= 200) samples.push(performance.now() - t0);
    }
    process.stdout.write(
      `rate limiter take() on ${store.kind}: p50 ${percentile(samples, 50).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms\n`,
    );
    await store.close();
  }
  await ds.destroy();
}

interface Row {
  concurrency: number;
  /** `cpuMs`: this process's CPU per direct request (client + simulator). */
  direct: LoadResult & { cpuMs: number };
  /** CPU per gateway request: of the gateway child, and of this process (load generator + simulator). */
  gateway: LoadResult & { gatewayCpuMs: number; benchCpuMs: number };
}

function report(rows: Row[], limiter: string): void {
  const f = (n: number) => n.toFixed(2);
  const cpu = rows.map(
    ({ concurrency, direct: d, gateway: g }) =>
      `CPU per request at ${concurrency}: direct ${f(d.cpuMs)} ms (client + simulator); via gateway ${f(g.gatewayCpuMs)} ms ` +
      `gateway + ${f(g.benchCpuMs)} ms load generator + simulator`,
  );
  const lines = [
    `gateway bench: VerifyUSI (ActAs, VA1802), sim latency 0 ms, ${DURATION_MS / 1000} s per path in ${SLICE_MS / 1000} s slices alternating direct/gateway, ${cpus().length} CPUs, node ${process.version}, rate limiter ${limiter}, load average ${loadavg()[0].toFixed(2)} at start`,
    '| concurrency | direct req/s | gateway req/s | ratio | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms | errors (direct/gw) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { concurrency, direct: d, gateway: g } of rows) {
    lines.push(
      `| ${concurrency} | ${d.rps.toFixed(0)} | ${g.rps.toFixed(0)} | ${f(g.rps / d.rps)} | ${f(d.p50)} / ${f(d.p99)} | ` +
        `${f(g.p50)} / ${f(g.p99)} | ${f(g.p50 - d.p50)} / ${f(g.p99 - d.p99)} | ${d.errors}/${g.errors} |`,
    );
  }
  const c1 = rows.find((r) => r.concurrency === 1);
  const c32 = rows.find((r) => r.concurrency === 32);
  if (c1 && c32) {
    lines.push(
      '',
      `targets: ratio at 32 ≥ 0.8 → ${f(c32.gateway.rps / c32.direct.rps)} ${c32.gateway.rps / c32.direct.rps >= 0.8 ? 'met' : 'MISSED'}; ` +
        `p99 added at 1 ≤ 5 ms → ${f(c1.gateway.p99 - c1.direct.p99)} ${c1.gateway.p99 - c1.direct.p99 <= 5 ? 'met' : 'MISSED'}`,
    );
  }
  process.stdout.write(`${[...lines, ...cpu].join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`gateway bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
