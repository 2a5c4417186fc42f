import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { DemoSeedService } from '../../apps/gateway/src/bootstrap/demo-seed.service';
import { DemoInfo } from '../../apps/gateway/src/bootstrap/demo-file';
import { loadConfig } from '../../apps/gateway/src/config/app-config';
import { createApp } from '../../apps/gateway/src/create-app';
import { appRoleUrl, migrate } from '../../apps/gateway/src/database/migrate';
import { TestCa } from '@usi/keystore';

const APP_ROLE = 'usi_gateway_app';
/** The built apps (`npm run build`), also when this file runs from source (jest). */
const DIST_APPS = join(__dirname, '..', '..', ...(basename(join(__dirname, '..', '..')) === 'dist' ? [] : ['dist']), 'apps');

export interface BenchDatabase {
  ownerUrl: string;
  appUrl: string;
  drop(): Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const ds = await new DataSource({ type: 'postgres', url: adminUrl, extra: { max: 1 } }).initialize();
  try {
    await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}

/** A fresh, migrated database next to DATABASE_TEST_URL's. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `usi_gateway_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const owner = new URL(adminUrl);
  owner.pathname = `/${name}`;
  await migrate({ migrationUrl: owner.toString(), appRole: APP_ROLE });
  return {
    ownerUrl: owner.toString(),
    appUrl: appRoleUrl(owner.toString(), APP_ROLE),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** The demo tenant (vendor, credential from the simulator's CA, VA1802, active authorisation, API key) via the real services. */
/**
 * The gateway's environment in both benches: production mode on the bench database and the simulator, fresh secrets,
 * rate limits out of the way (the benches measure the path, not the limiter's refusals). Each bench adds its own.
 */
export function benchGatewayEnv(db: BenchDatabase, simUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    METRICS_TOKEN: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: db.appUrl,
    DATABASE_MIGRATION_URL: db.ownerUrl,
    MASTER_KEY: randomBytes(32).toString('base64'),
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    USI_ENV: 'sim',
    USI_SIM_URL: simUrl,
    AUDIT_ANCHOR_DIR: mkdtempSync(join(tmpdir(), 'usi-bench-anchors-')),
    RATE_LIMIT_VENDOR_PER_MINUTE: '100000000',
    RATE_LIMIT_ORG_PER_MINUTE: '100000000',
  };
}

export async function seedTenant(env: Record<string, string>, ca: TestCa): Promise<DemoInfo> {
  const app = await createApp(loadConfig(env));
  try {
    return await DemoSeedService.fromApp(app).seed({ baseUrl: 'http://bench', ca });
  } finally {
    await app.close();
  }
}

/**
 * The node flags production starts the gateway with: those of `npm run <script>` (package.json; `start:prod` for the
 * API, `start:worker` for a worker, as in the Docker image and docker-compose.yml), so a bench measures the process as
 * it is deployed.
 */
export function productionNodeFlags(script = 'start:prod'): string[] {
  const pkg = JSON.parse(readFileSync(join(DIST_APPS, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = /(?:^|\s)node((?:\s+--\S+)*)\s+dist\//.exec(pkg.scripts[script] ?? '');
  if (!match) throw new Error(`${script} does not start node on dist/: ${pkg.scripts[script]}`);
  return match[1].split(/\s+/).filter(Boolean);
}

/** `node dist/apps/gateway/src/main.js` as a child process; resolves with its URL once it listens. */
export function startGatewayProcess(env: Record<string, string>, nodeFlags: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_CPU_PROF_DIR: write a V8 CPU profile of the gateway on exit, to find hot spots.
  const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  // BENCH_GATEWAY_NODE_FLAGS: node/V8 flags for the gateway only (some, like --single-threaded-gc, NODE_OPTIONS refuses).
  const flags = [...nodeFlags, ...(process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
  return spawnListening('gateway', [...flags, ...prof, join(DIST_APPS, 'gateway', 'src', 'main.js')], { ...process.env, ...env }, /listening on (http:\/\/\S+)/);
}

/**
 * The simulator as its own process (`node dist/apps/usi-sim/src/main.js`), the way the real registry is a separate
 * service for any client. Its CA is the one it keeps in `stateDir`, so credentials issued from `ca` are trusted.
 */
export async function startSimulatorProcess(stateDir: string): Promise<{ url: string; child: ChildProcess; ca: TestCa }> {
  const main = join(DIST_APPS, 'usi-sim', 'src', 'main.js');
  const { url, child } = await spawnListening('simulator', [main, '--port', '0', '--state-dir', stateDir, '--quiet'], process.env, /usi-sim listening on (http:\/\/\S+)/);
  return { url, child, ca: TestCa.fromPem(readFileSync(join(stateDir, 'ca.pem'), 'utf8')) };
}

/** `node <args>`; resolves with the URL the child prints once it listens (first capture group of `listening`). */
function spawnListening(name: string, args: string[], env: NodeJS.ProcessEnv, listening: RegExp): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const match = listening.exec(d.toString());
      if (match) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${stderr.slice(-2000)}`)));
  });
}

/** SIGTERM and wait, so the gateway shuts down cleanly (and writes its CPU profile). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'usi-bench-sim-'));
}
