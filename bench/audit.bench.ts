/**
 * Audit trail costs, against a dedicated database (`usi_audit_bench`, dropped and re-created):
 *  1. insert cost of one audit append as the application role (target: ≤ 1 ms p50 added per request);
 *  2. filtered query p95 on 10 million rows, one organisation and a one-day range (target ≤ 50 ms);
 *  3. CSV export of 1 million rows through the server-side cursor (target ≥ 50,000 rows/s, flat RSS).
 * Usage: node dist/bench/audit.bench.js [rows=10000000]   (DATABASE_TEST_URL: an admin URL, default local postgres)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuditAnchorStore } from '../apps/gateway/src/audit/anchor/audit-anchor.store';
import { AuditAppendPool } from '../apps/gateway/src/audit/audit-append.pool';
import { AuditRepository } from '../apps/gateway/src/audit/audit.repository';
import { AuditEventInput } from '../apps/gateway/src/audit/audit.types';
import { chainKeyId, ChainKeyring } from '../apps/gateway/src/audit/chain/chain-keyring';
import { csvRows } from '../apps/gateway/src/audit/review/audit-csv';
import { AuditQueryRepository } from '../apps/gateway/src/audit/review/audit-query.repository';
import { appRoleUrl, migrate } from '../apps/gateway/src/database/migrate';
import { TenantTransaction } from '../apps/gateway/src/database/tenant-transaction.service';
import { asVendorId } from '../apps/gateway/src/database/vendor-id';

const ADMIN_URL = process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB = 'usi_audit_bench';
const ROWS = Number(process.argv[2] ?? 10_000_000);
const VENDORS = 10;
const ORGS = 1000;
const DAYS = 90;
const APP_ROLE = 'usi_gateway_app';

const withDb = (url: string, db: string) => Object.assign(new URL(url), { pathname: `/${db}` }).toString();
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Number(n.toFixed(3));

async function open(url: string, max = 4): Promise<DataSource> {
  return new DataSource({ type: 'postgres', url, extra: { max } }).initialize();
}

async function setUp(): Promise<{ owner: DataSource; app: DataSource; orgs: { id: string; vendorId: string }[] }> {
  const admin = await open(ADMIN_URL, 1);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.destroy();
  const ownerUrl = withDb(ADMIN_URL, DB);
  await migrate({ migrationUrl: ownerUrl, appRole: APP_ROLE });
  const owner = await open(ownerUrl);
  await owner.query(`insert into vendors (name, abn) select 'Bench ' || g, lpad(g::text, 11, '0') from generate_series(1, ${VENDORS}) g`);
  await owner.query(
    `insert into organisations (vendor_id, org_code, abn, legal_name, kind)
     select v.id, 'B' || g, lpad(g::text, 11, '0'), 'Org ' || g, 'RTO'
       from generate_series(1, ${ORGS}) g join (select id, row_number() over () - 1 as n from vendors) v on v.n = g % ${VENDORS}`,
  );
  const orgs: { id: string; vendorId: string }[] = await owner.query(`select id, vendor_id as "vendorId" from organisations`);
  const t0 = performance.now();
  // Bulk load: each month is filled as a plain table and attached afterwards, so its indexes are built in one
  // sorted pass instead of 10 million random B-tree inserts. Rows are spread evenly over organisations and DAYS days.
  const months: { name: string; from: string; to: string }[] = await owner.query(
    `select 'audit_events_' || to_char(m, 'YYYY_MM') as name, m as from, m + interval '1 month' as to
       from generate_series(date_trunc('month', now() - interval '${DAYS} days'), date_trunc('month', now()), interval '1 month') m`,
  );
  for (const m of months) {
    await owner.query(`DROP TABLE IF EXISTS ${m.name}`);
    await owner.query(`CREATE TABLE ${m.name} (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await owner.query(
      `insert into ${m.name} (id, occurred_at, chain_id, chain_seq, prev_hash, hash, vendor_id, organisation_id, category,
         type, request_id, actor, operation, outcome, http_status, error_code, usi_hmac, usi_masked, details)
       select gen_random_uuid(), t.at, 'org:' || o.id, g, repeat('0', 64), md5(g::text) || md5(g::text), o.vendor_id, o.id,
         case g % 3 when 0 then 'inbound' else 'exchange' end, case g % 3 when 0 then 'request' when 1 then 'started' else 'completed' end,
         'req-' || (g / 3), 'api_key:bench', 'VerifyUSI', case when g % 50 = 0 then 'failed' else 'completed' end,
         200, case when g % 50 = 0 then 'usi.fault' end, md5('usi' || (g % 100000)) || md5('x' || (g % 100000)), 'BN******FN',
         jsonb_build_object('latencyMs', g % 400, 'route', '/v1/organisations/:orgCode/usi/verify')
       from generate_series(1, ${ROWS}) g
       cross join lateral (select now() - (g::double precision / ${ROWS}) * interval '${DAYS} days' as at) t
       join (select id, vendor_id, row_number() over (order by id) - 1 as n from organisations) o on o.n = g % ${ORGS}
       where t.at >= $1 and t.at < $2`,
      [m.from, m.to],
    );
    await owner.query(`ALTER TABLE audit_events ATTACH PARTITION ${m.name} FOR VALUES FROM ('${new Date(m.from).toISOString()}') TO ('${new Date(m.to).toISOString()}')`);
  }
  await owner.query(`select audit_ensure_partitions(2)`);
  const loadSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await owner.query(`VACUUM ANALYZE audit_events`);
  const [{ loaded }] = await owner.query(`select count(*)::int as loaded from audit_events`);
  console.log(JSON.stringify({ case: 'load', rows: loaded, loadSeconds: round(loadSeconds), vacuumAnalyzeSeconds: round((performance.now() - t1) / 1000) }));
  const app = await open(appRoleUrl(ownerUrl, APP_ROLE), 10);
  return { owner, app, orgs };
}

/**
 * Floors: a one-row autocommit insert into a temp table (one round trip, no WAL flush) and into a logged table
 * (one round trip plus the durable commit every audit append pays on this disk).
 */
async function commitFloors(owner: DataSource) {
  const runner = owner.createQueryRunner();
  await runner.query(`create temp table commit_probe (i int)`);
  await runner.query(`create table if not exists commit_probe_durable (i int)`);
  const results = [];
  for (const [label, table] of [['temp table, no WAL flush', 'commit_probe'], ['logged table, durable commit', 'commit_probe_durable']]) {
    const samples: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      await runner.query(`insert into ${table} values (1)`);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    results.push({ case: `baseline: one-row autocommit insert (${label})`, p50Ms: round(pct(samples, 50)), p95Ms: round(pct(samples, 95)) });
  }
  await runner.release();
  return results;
}

const benchEvent = (org: { id: string; vendorId: string }, category: 'inbound' | 'exchange', type: string): AuditEventInput => ({
  vendorId: asVendorId(org.vendorId), organisationId: org.id, category, type, requestId: randomUUID(),
  actor: 'api_key:bench', operation: 'VerifyUSI', outcome: type, httpStatus: 200, errorCode: null,
  usiHmac: null, usiMasked: null, relatedEventId: null, details: { method: 'POST', route: '/v1/x', latencyMs: 3.2 },
});

/** A chain key of the run's own; the benches verify nothing against checkpoints. */
const BENCH_KEY = randomBytes(32);
const BENCH_KEYS = new ChainKeyring({ id: chainKeyId(BENCH_KEY), key: BENCH_KEY });
const NO_ANCHOR: AuditAnchorStore = { append: async () => undefined, latest: async () => ({ problems: [] }) };

/**
 * `one append`: a single `audit_append_keyed` call (what an exchange's `started` costs). `per request`: what the audit adds
 * to one VerifyUSI request with a cached token: `started` before the upstream call, then the exchange's `completed`
 * and the inbound event together in one transaction before the response.
 */
async function insertCost(appendPool: AuditAppendPool, orgs: { id: string; vendorId: string }[], label: string) {
  const repository = new AuditRepository(appendPool, BENCH_KEYS);
  const cases = {
    'one append': (org: (typeof orgs)[number]) => repository.append(benchEvent(org, 'exchange', 'started')),
    'per request (started; completed + inbound)': async (org: (typeof orgs)[number]) => {
      await repository.append(benchEvent(org, 'exchange', 'started'));
      await repository.appendAll([benchEvent(org, 'exchange', 'completed'), benchEvent(org, 'inbound', 'request')]);
    },
  };
  const results = [];
  for (const [name, run] of Object.entries(cases)) {
    const samples: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      await run(orgs[i % 50]);
      if (i >= 500) samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    results.push({ case: `insert: ${name}, app role, RLS, chain lock (${label})`, samples: samples.length, p50Ms: round(pct(samples, 50)), p95Ms: round(pct(samples, 95)), p99Ms: round(pct(samples, 99)), targetP50Ms: 1, withinTarget: pct(samples, 50) <= 1 });
  }
  return results;
}

/**
 * 32 requests in flight for one organisation (one chain), each audited as started; completed + inbound. Group commit
 * (the repository's default) against one transaction per call (an explicit manager bypasses the grouping).
 */
async function concurrentCost(app: DataSource, appendPool: AuditAppendPool, orgs: { id: string; vendorId: string }[], label: string) {
  const repository = new AuditRepository(appendPool, BENCH_KEYS);
  const org = orgs[0];
  const results = [];
  for (const grouped of [true, false]) {
    const m = grouped ? undefined : app.manager;
    const samples: number[] = [];
    const perWorker = 60;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = 0; i < perWorker; i++) {
          const t = performance.now();
          await repository.appendAll([benchEvent(org, 'exchange', 'started')], m);
          await repository.appendAll([benchEvent(org, 'exchange', 'completed'), benchEvent(org, 'inbound', 'request')], m);
          samples.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    samples.sort((a, b) => a - b);
    results.push({
      case: `concurrent: 32 requests in flight on one organisation, ${grouped ? 'group commit' : 'one transaction per call'} (${label})`,
      requests: samples.length, requestsPerSecond: Math.round(samples.length / seconds), p50Ms: round(pct(samples, 50)), p95Ms: round(pct(samples, 95)),
    });
  }
  return results;
}

async function queryCost(app: DataSource, appendPool: AuditAppendPool, orgs: { id: string; vendorId: string }[]) {
  const queries = new AuditQueryRepository(new TenantTransaction(app), new AuditRepository(appendPool, BENCH_KEYS), app, BENCH_KEYS, NO_ANCHOR);
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const org = orgs[(i * 37) % orgs.length];
    const from = new Date(Date.now() - (1 + (i % (DAYS - 2))) * 86_400_000);
    const to = new Date(from.getTime() + 86_400_000);
    const t0 = performance.now();
    await queries.search({ kind: 'vendor', vendorId: asVendorId(org.vendorId), organisationIds: null }, { organisationIds: [org.id], from, to }, 51, 'desc');
    if (i >= 50) samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { case: `search: one organisation, one day, first page of 50, ${ROWS.toLocaleString('en')} rows generated`, samples: samples.length, p50Ms: round(pct(samples, 50)), p95Ms: round(pct(samples, 95)), targetP95Ms: 50, withinTarget: pct(samples, 95) <= 50 };
}

async function exportCost(app: DataSource, appendPool: AuditAppendPool) {
  const queries = new AuditQueryRepository(new TenantTransaction(app), new AuditRepository(appendPool, BENCH_KEYS), app, BENCH_KEYS, NO_ANCHOR);
  // A time window holding about one million rows of the whole platform.
  const to = new Date();
  const from = new Date(to.getTime() - (1_000_000 / ROWS) * DAYS * 86_400_000);
  let bytes = 0;
  // A slow-ish consumer with a small buffer, so backpressure is exercised.
  const sink = new Writable({ highWaterMark: 64 * 1024, write: (chunk: Buffer, _e, cb) => { bytes += chunk.length; setImmediate(cb); } });
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 100);
  const t0 = performance.now();
  const rows = await queries.stream({ kind: 'platform' }, { from, to }, 'desc', async (batch) => {
    if (!sink.write(csvRows(batch))) await new Promise((r) => sink.once('drain', r));
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const mb = (n: number) => round(n / 1024 / 1024);
  const rowsPerSecond = Math.round(rows / seconds);
  return {
    case: 'CSV export via server-side cursor', rows, seconds: round(seconds), rowsPerSecond, csvMb: mb(bytes),
    rssMb: { min: mb(Math.min(...rss)), max: mb(Math.max(...rss)), first: mb(rss[0]), last: mb(rss[rss.length - 1]) },
    targetRowsPerSecond: 50_000, withinTarget: rowsPerSecond >= 50_000,
  };
}

async function main(): Promise<void> {
  const { owner, app, orgs } = await setUp();
  const appUrl = appRoleUrl(withDb(ADMIN_URL, DB), APP_ROLE);
  const appendPool = new AuditAppendPool(appUrl);
  try {
    for (const r of await commitFloors(owner)) console.log(JSON.stringify(r));
    for (const r of await insertCost(appendPool, orgs, 'synchronous_commit=on')) console.log(JSON.stringify(r));
    for (const r of await concurrentCost(app, appendPool, orgs, 'synchronous_commit=on')) console.log(JSON.stringify(r));
    // The same appends without waiting for the WAL flush: isolates the audit code's own cost from the disk's fsync.
    await owner.query(`ALTER DATABASE ${DB} SET synchronous_commit = off`);
    const asyncApp = await open(appUrl, 10);
    const asyncPool = new AuditAppendPool(appUrl);
    for (const r of await insertCost(asyncPool, orgs, 'synchronous_commit=off')) console.log(JSON.stringify(r));
    for (const r of await concurrentCost(asyncApp, asyncPool, orgs, 'synchronous_commit=off')) console.log(JSON.stringify(r));
    await asyncPool.close();
    await asyncApp.destroy();
    for (const run of [() => queryCost(app, appendPool, orgs), () => exportCost(app, appendPool)]) {
      console.log(JSON.stringify(await run()));
    }
  } finally {
    await appendPool.close();
    await app.destroy();
    await owner.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
