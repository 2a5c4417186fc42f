import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { Agent, request } from 'undici';
import { writeKeystore } from '@usi/keystore';
import type { Verification } from '@usi/contract';
import { DEMO } from '../apps/gateway/src/bootstrap/demo-seed.service';
import { benchGatewayEnv, createBenchDatabase, productionNodeFlags, seedTenant, startGatewayProcess, startSimulatorProcess, stopChild, tempStateDir } from './gateway/bench-setup';
import { percentile } from './gateway/latency-stats';
import { childCpuMs, childPeakRssMb, machineShares, machineTicks } from './gateway/process-cpu';
import { runDirectBulk } from './gateway/direct-bulk.thread';
import { RssSampler } from './gateway/rss-sampler';

/**
 * Bulk verification: one job of RECORDS rows through the gateway (POST …/verification-jobs, a ROLE=api process and a
 * ROLE=worker process, as deployed) against the same 500-row BulkVerifyUSI batches sent directly by the client library
 * with the same concurrency (JOBS_UPSTREAM_CONCURRENCY, default 4), in one run, the simulator (its own process) adding
 * SIM_LATENCY_MS to every call. Order: interactive baseline, direct (reading inline, then with reader threads), gateway
 * job, direct again (threads, then inline), interactive baseline again (each direct figure is the mean of its two runs
 * and the ratio uses the faster; the baseline merges its two windows, so drift of the shared VM during the run weighs on
 * both sides). A few interactive single verifies (through the api process) run during the
 * direct runs and the gateway job alike, so both bulk paths share the registry with the same background traffic.
 *
 * Usage: node dist/bench/jobs.bench.js [records]   (default 100000; e.g. 10000 for a quick run)
 * Env: DATABASE_TEST_URL, BENCH_REDIS_URL (empty: Postgres queue backend, the default; set: Redis backend and rate
 * limits), JOBS_UPSTREAM_CONCURRENCY, BENCH_SIM_LATENCY_MS (250), BENCH_INTERACTIVE_CONCURRENCY (2),
 * BENCH_BASELINE_MS (10000 per window), BENCH_CPU_PROF_DIR (V8 profiles of both gateway processes),
 * BENCH_WORKER_NODE_FLAGS (extra node flags for the worker only), USI_READER_THREADS (1: threads reading the answers, in the
 * gateway's worker and in the direct client alike; 0: both read inline).
 */
const RECORDS = Number(process.argv[2] ?? 100_000);
const BATCH = 500;
const CONCURRENCY = Number(process.env.JOBS_UPSTREAM_CONCURRENCY ?? 4);
const SIM_LATENCY_MS = Number(process.env.BENCH_SIM_LATENCY_MS ?? 250);
const INTERACTIVE = Number(process.env.BENCH_INTERACTIVE_CONCURRENCY ?? 2);
const BASELINE_MS = Number(process.env.BENCH_BASELINE_MS ?? 10_000);
const ADMIN_URL = process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? '';
/** Node/V8 flags added to the worker's (to try one before putting it into `start:worker`). */
/** Reader threads of the gateway's worker (USI_READER_THREADS) and, the same number, of the direct client. */
const READER_THREADS = Number(process.env.USI_READER_THREADS ?? 1);
const WORKER_EXTRA_FLAGS = (process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const PEOPLE = [
  { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' },
  { usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' },
];

async function main(): Promise<void> {
  const load = loadavg()[0];
  const sim = await startSimulatorProcess(tempStateDir());
  const db = await createBenchDatabase(ADMIN_URL);
  const env: Record<string, string> = {
    ...benchGatewayEnv(db, sim.url),
    JOBS_UPSTREAM_CONCURRENCY: String(CONCURRENCY),
    USI_READER_THREADS: String(READER_THREADS),
    ...(REDIS_URL ? { REDIS_URL, QUEUE_BACKEND: 'redis', QUEUE_PREFIX: `bench${randomBytes(4).toString('hex')}`, RATE_LIMIT_REDIS_PREFIX: `bench:${randomBytes(4).toString('hex')}:` } : {}),
  };
  const demo = await seedTenant(env, sim.ca);
  const api = await startGatewayProcess({ ...env, ROLE: 'api' }, productionNodeFlags());
  const worker = await startGatewayProcess({ ...env, ROLE: 'worker' }, [...productionNodeFlags('start:worker'), ...WORKER_EXTRA_FLAGS]);
  const workerRss = new RssSampler(worker.child.pid!);
  const apiRss = new RssSampler(api.child.pid!);

  const issued = sim.ca.issueMachineCredential({ abn: DEMO.vendor.abn, name: DEMO.credentialName });
  const password = randomBytes(12).toString('hex');
  const keystore = {
    xml: writeKeystore([{ abn: DEMO.vendor.abn, name: DEMO.credentialName, chain: issued.chain, privateKey: issued.privateKey }], password),
    password,
  };
  const actAs = { firstPartyAbn: DEMO.vendor.abn, secondPartyAbn: DEMO.organisation.abn, ssid: DEMO.softwareId };
  const agent = new Agent({ connections: 32, pipelining: 1, bodyTimeout: 300_000, headersTimeout: 300_000 });
  const auth = { authorization: `Bearer ${demo.apiKey}` };
  const jobsUrl = `${api.url}/v1/organisations/${demo.orgCode}/verification-jobs`;

  const rows = Array.from({ length: RECORDS }, (_, i) => ({ recordId: `r-${i + 1}`, ...PEOPLE[i % PEOPLE.length] }));
  // The gateway numbers rows from 1 and sends the row number as BulkVerifyUSI's recordId: the direct path does the same.
  const batches: Verification[][] = [];
  for (let i = 0; i < RECORDS; i += BATCH) {
    batches.push(rows.slice(i, i + BATCH).map(({ recordId: _id, ...person }, j) => ({ ...person, recordId: i + j + 1 }) as unknown as Verification));
  }

  const interactiveVerify = async () => {
    const res = await request(`${api.url}/v1/organisations/${demo.orgCode}/usi/verify`, {
      method: 'POST',
      dispatcher: agent,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(PEOPLE[0]),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`verify ${res.statusCode}: ${text.slice(0, 300)}`);
  };

  const direct = (readerThreads: number) => (): Promise<number> =>
    runDirectBulk({ simUrl: sim.url, keystore, actAs, orgCode: DEMO.organisation.orgCode, concurrency: CONCURRENCY, readerThreads, batches });

  // The upload's body is ready before the clock starts, as the direct path's batches are.
  const uploadBody = JSON.stringify(rows);
  const viaGateway = async (): Promise<{ wallS: number; jobS: number; uploadS: number; acceptedAt: number; job: Record<string, unknown> }> => {
    const t0 = performance.now();
    const res = await request(jobsUrl, {
      method: 'POST',
      dispatcher: agent,
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `bench-${randomBytes(6).toString('hex')}` },
      body: uploadBody,
    });
    const created = (await res.body.json()) as { id?: string; job?: { id: string } };
    if (res.statusCode >= 300) throw new Error(`create job ${res.statusCode}: ${JSON.stringify(created).slice(0, 300)}`);
    const id = created.job?.id ?? created.id!;
    const acceptedAt = performance.now();
    for (;;) {
      const got = await request(`${jobsUrl}/${id}`, { dispatcher: agent, headers: auth });
      const job = (await got.body.json()) as Record<string, unknown> & { state: string; createdAt: string; finishedAt: string };
      if (['completed', 'failed', 'cancelled'].includes(job.state)) {
        const wallS = (performance.now() - t0) / 1000;
        if (job.state !== 'completed') throw new Error(`job ended ${job.state}: ${JSON.stringify(job).slice(0, 500)}`);
        return { wallS, jobS: (Date.parse(job.finishedAt) - Date.parse(job.createdAt)) / 1000, uploadS: (acceptedAt - t0) / 1000, acceptedAt, job };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  try {
    await setSimLatency(sim.url, SIM_LATENCY_MS);
    // Warm-up: token, TLS-less connections, JIT of both paths.
    await interactiveVerify();
    await resetCounters(sim.url);

    const baseline1 = await interactiveFor(interactiveVerify, BASELINE_MS);
    // The direct client twice before and twice after the job: with the gateway's reader threads and reading inline (the
    // library's default); the ratio is taken against the faster of the two means.
    const d1Inline = READER_THREADS > 0 ? await withInteractive(interactiveVerify, direct(0)) : undefined;
    const simCpu0 = childCpuMs(sim.child.pid!);
    const ticksDirect = machineTicks();
    const d1 = await withInteractive(interactiveVerify, direct(READER_THREADS));
    const machineDirect = machineShares(ticksDirect, machineTicks());
    const simCpuDirect = childCpuMs(sim.child.pid!) - simCpu0;
    const workerCpu0 = childCpuMs(worker.child.pid!);
    const apiCpu0 = childCpuMs(api.child.pid!);
    const workerRssBefore = currentRssMb(worker.child.pid!);
    const commits0 = await commits(db.ownerUrl);
    workerRss.start();
    apiRss.start();
    const ticksJob = machineTicks();
    const gw = await withInteractive(interactiveVerify, viaGateway);
    const machineJob = machineShares(ticksJob, machineTicks());
    workerRss.stop();
    apiRss.stop();
    const simCpuJob = childCpuMs(sim.child.pid!) - simCpuDirect - simCpu0;
    const jobCommits = (await commits(db.ownerUrl)) - commits0;
    const inBatch = await batchWindows(db.ownerUrl);
    const workerCpu = childCpuMs(worker.child.pid!) - workerCpu0;
    const apiCpu = childCpuMs(api.child.pid!) - apiCpu0;
    const d2 = await withInteractive(interactiveVerify, direct(READER_THREADS));
    const d2Inline = READER_THREADS > 0 ? await withInteractive(interactiveVerify, direct(0)) : undefined;
    const baseline2 = await interactiveFor(interactiveVerify, BASELINE_MS);
    const counters = await simCounters(sim.url);

    const threadedS = (d1.result + d2.result) / 2;
    const inlineS = d1Inline && d2Inline ? (d1Inline.result + d2Inline.result) / 2 : undefined;
    const directS = Math.min(threadedS, inlineS ?? Infinity);
    const directRuns = inlineS !== undefined ? 4 : 2;
    const baseline = [...baseline1.latencies, ...baseline2.latencies];
    const p95 = (xs: number[]) => percentile(xs, 95);
    const ratio = gw.result.wallS / directS;
    const rssPeak = childPeakRssMb(worker.child.pid!);
    const p95Ratio = p95(gw.latencies) / p95(baseline);
    const duringDirect = [d1Inline, d1, d2, d2Inline].flatMap((d) => d?.latencies ?? []);
    const uploading = gw.samples.filter((x) => x.startedAt < gw.result.acceptedAt).map((x) => x.ms);
    const sending = gw.samples.filter((x) => x.startedAt >= gw.result.acceptedAt).map((x) => x.ms);
    const f = (n: number, d = 2) => n.toFixed(d);
    const lines = [
      `jobs bench: ${RECORDS} records (${batches.length} batches of ≤ ${BATCH}), concurrency ${CONCURRENCY}, simulator latency ${SIM_LATENCY_MS} ms per call, ` +
        `queue backend ${REDIS_URL ? 'redis' : 'postgres'}, reader threads ${READER_THREADS} (gateway worker and direct client), ${cpus().length} CPUs, node ${process.version}, load average ${f(load)} at start, ${f(loadavg()[0])} at end`,
      `direct (client library, reader threads ${READER_THREADS}): ${f(d1.result)} s, ${f(d2.result)} s → mean ${f(threadedS)} s` +
        (inlineS !== undefined ? `; reading inline: ${f(d1Inline!.result)} s, ${f(d2Inline!.result)} s → mean ${f(inlineS)} s` : '') +
        `; the ratio uses ${f(directS)} s`,
      `gateway job: ${f(gw.result.wallS)} s POST → completed seen by the client (upload accepted after ${f(gw.result.uploadS)} s; job createdAt → finishedAt ${f(gw.result.jobS)} s); ` +
        `answered ${(gw.result.job.counts as { answered: number }).answered}; Postgres commits during the job ${jobCommits} ` +
        `(${f(jobCommits / batches.length, 1)} per batch, interactive calls, polling and the queue's own included)`,
      `where a pump's time goes: claim → finish of a batch ${f(inBatch.meanMs, 0)} ms mean (p95 ${f(inBatch.p95Ms, 0)}; the direct client's call: ` +
        `${f((d1.result * 1000 * CONCURRENCY) / batches.length, 0)} ms); outside that window (finishing, the next claims) ` +
        `${f((gw.result.jobS * 1000 * CONCURRENCY - inBatch.sumMs) / batches.length, 0)} ms per batch`,
      `simulator BulkVerifyUSI calls: ${counters.usi.BulkVerifyUSI ?? 0} (expected ${(directRuns + 1) * batches.length + directRuns}: ${directRuns} direct runs with a 1-row warm-up each + 1 job); ` +
        `simulator CPU ${f(simCpuDirect / 1000, 1)} s during the first direct run, ${f(simCpuJob / 1000, 1)} s during the job (its interactive calls included)`,
      `machine CPU (${cpus().length} CPUs): busy ${f(machineDirect.busyPct, 0)} %, stolen by the host ${f(machineDirect.stealPct, 1)} % during the first direct run; ` +
        `busy ${f(machineJob.busyPct, 0)} %, stolen ${f(machineJob.stealPct, 1)} % during the job`,
      `worker (ROLE=worker, node ${[...productionNodeFlags('start:worker'), ...WORKER_EXTRA_FLAGS].join(' ') || 'without flags'}) RSS: peak ${f(rssPeak, 0)} MB (VmHWM), ${f(workerRssBefore, 0)} MB before the job, sampled during the job max ${f(workerRss.maxMb, 0)} MB; CPU during the job ${f(workerCpu / 1000, 1)} s`,
      `api (ROLE=api, node ${productionNodeFlags().join(' ') || 'without flags'}) RSS: peak ${f(childPeakRssMb(api.child.pid!), 0)} MB (VmHWM, the upload is parsed here), sampled during the job max ${f(apiRss.maxMb, 0)} MB; CPU during the job ${f(apiCpu / 1000, 1)} s`,
      `interactive verifies (${INTERACTIVE} clients, via the api process): p50 / p95 ms without a job ${f(percentile(baseline, 50))} / ${f(p95(baseline))} (n=${baseline.length}); ` +
        `during the job ${f(percentile(gw.latencies, 50))} / ${f(p95(gw.latencies))} (n=${gw.latencies.length}; while the upload was accepted ` +
        `${f(p95(uploading))} p95 n=${uploading.length}, while batches were sent ${f(p95(sending))} p95 n=${sending.length}); ` +
        `during the direct runs (same upstream load, no gateway job) ${f(percentile(duringDirect, 50))} / ${f(p95(duringDirect))} (n=${duringDirect.length}); ` +
        `errors ${[baseline1, baseline2, gw, d1, d2, d1Inline, d2Inline].reduce((n, x) => n + (x?.errors ?? 0), 0)}`,
      '',
      `goals: wall-time ratio gateway/direct ≤ 1.15 → ${f(ratio)} ${ratio <= 1.15 ? 'met' : 'MISSED'}; ` +
        `worker peak RSS ≤ 300 MB → ${f(rssPeak, 0)} ${rssPeak <= 300 ? 'met' : 'MISSED'}; ` +
        `interactive p95 during/without ≤ 1.5 → ${f(p95Ratio)} ${p95Ratio <= 1.5 ? 'met' : 'MISSED'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stopChild(worker.child);
    await stopChild(api.child);
    await agent.close();
    await stopChild(sim.child);
    await db.drop();
  }
}

interface Sampled<T> {
  result: T;
  latencies: number[];
  /** Each latency with the time its call started (performance.now()). */
  samples: { startedAt: number; ms: number }[];
  errors: number;
}

/** `work` with INTERACTIVE clients issuing single verifies back to back until it ends. */
async function withInteractive<T>(verify: () => Promise<void>, work: () => Promise<T>): Promise<Sampled<T>> {
  let done = false;
  const samples: { startedAt: number; ms: number }[] = [];
  let errors = 0;
  const clients = Array.from({ length: INTERACTIVE }, async () => {
    while (!done) {
      const t0 = performance.now();
      try {
        await verify();
        samples.push({ startedAt: t0, ms: performance.now() - t0 });
      } catch {
        errors += 1;
      }
    }
  });
  try {
    const result = await work();
    return { result, latencies: samples.map((x) => x.ms), samples, errors };
  } finally {
    done = true;
    await Promise.all(clients);
  }
}

function interactiveFor(verify: () => Promise<void>, ms: number): Promise<Sampled<void>> {
  return withInteractive(verify, () => new Promise<void>((r) => setTimeout(r, ms)));
}

/** Committed transactions in the bench database (pg_stat_database; the statistics collector lags: wait for it). */
async function commits(ownerUrl: string): Promise<number> {
  await new Promise((r) => setTimeout(r, 1200));
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`select xact_commit as n from pg_stat_database where datname = current_database()`);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/** Each batch's window from its claim to its finish (`sent_at`, `answered_at`: each its transaction's start). */
async function batchWindows(ownerUrl: string): Promise<{ meanMs: number; p95Ms: number; sumMs: number }> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ms: number }>(
      `select extract(epoch from answered_at - sent_at) * 1000 as ms from verification_job_batches where answered_at is not null`,
    );
    const ms = rows.map((r) => Number(r.ms));
    const sumMs = ms.reduce((a, b) => a + b, 0);
    return { meanMs: sumMs / ms.length, p95Ms: percentile(ms, 95), sumMs };
  } finally {
    await client.end();
  }
}

function currentRssMb(pid: number): number {
  const sampler = new RssSampler(pid);
  sampler.stop();
  return sampler.maxMb;
}

async function setSimLatency(simUrl: string, ms: number): Promise<void> {
  const res = await request(`${simUrl}/admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ global: { latency: { fixedMs: ms } } }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`simulator faults ${res.statusCode}: ${text}`);
}

async function resetCounters(simUrl: string): Promise<void> {
  await (await request(`${simUrl}/admin/counters/reset`, { method: 'POST' })).body.text();
}

async function simCounters(simUrl: string): Promise<{ usi: Record<string, number> }> {
  return (await (await request(`${simUrl}/admin/counters`)).body.json()) as { usi: Record<string, number> };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`jobs bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
