import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DemoInfo } from '@gateway/bootstrap/demo-file';
import { resetDemo } from '@gateway/bootstrap/reset-demo';
import { totpCode } from '@gateway/auth/mfa/totp';

/**
 * `npm start` on a clean checkout: the built main.js with an empty environment, in a fresh working directory
 * (so ./.data is new). `npm test` builds dist/ before jest runs.
 */
const MAIN = resolve(__dirname, '..', '..', 'dist', 'apps', 'gateway', 'src', 'main.js');
/** The acceptance bound for a cold start. */
const READY_WITHIN_MS = 90_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  info: DemoInfo;
  readyAfterMs: number;
}

function start(cwd: string): Promise<Started> {
  const began = Date.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const demoFile = join(cwd, '.data', 'demo.json');
  // demo.json is written anew (renamed into place) on every start, even when its content stays the same.
  const previous = existsSync(demoFile) ? statSync(demoFile).mtimeMs : undefined;

  return (async () => {
    while (Date.now() - began < READY_WITHIN_MS) {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output.slice(-4000)}`);
      const written = existsSync(demoFile) ? statSync(demoFile).mtimeMs : undefined;
      if (written !== undefined && written !== previous) {
        const info = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoInfo;
        const ready = await fetch(`${info.baseUrl}/health/ready`).then((r) => r.status, () => 0);
        if (ready === 200) return { child, output: () => output, info, readyAfterMs: Date.now() - began };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`not ready within ${READY_WITHIN_MS} ms:\n${output.slice(-4000)}`);
  })();
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    child.once('exit', (code) => done(code));
    child.kill('SIGTERM');
  });
}

/** The cluster's pid file, wherever the layout put it (under /var/lib/usi-gateway when running as root). */
function postmasterPid(cwd: string): string {
  const { stateDir } = JSON.parse(readFileSync(join(cwd, '.data', 'embedded-postgres.json'), 'utf8')) as { stateDir: string };
  return join(stateDir, 'pg', 'postmaster.pid');
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('npm start without any environment (self-contained demo)', () => {
  let cwd: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'demo-start-'));
    // Left private (0700), as a checkout under /root is: the embedded Postgres must cope.
  });

  // After a failed assertion the gateway is still up: SIGTERM lets it stop its Postgres (SIGKILL would orphan it).
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await stop(child);
      clearTimeout(killer);
    }
    await resetDemo(join(cwd, '.data')); // and the cluster's folder under /var/lib/usi-gateway when root
    rmSync(cwd, { recursive: true, force: true });
  }, 60_000);

  it('starts, seeds, serves the demo tenant, stops cleanly, and restarts on the same data with the same API key', async () => {
    const first = await start(cwd);
    children.push(first.child);
    console.log(`cold start: /health/ready 200 after ${first.readyAfterMs} ms`);

    const demoFile = join(cwd, '.data', 'demo.json');
    expect(statSync(demoFile).mode & 0o777).toBe(0o600);
    expect(first.info.orgCode).toBe('VA1802');
    expect(first.info.users.map((u) => u.role).sort()).toEqual(['platform_admin', 'platform_support', 'provider_admin', 'support', 'vendor_admin', 'vendor_developer']);
    expect(first.output()).toContain(`/v1/organisations/VA1802/usi/verify`);
    expect(first.output()).toContain('BNGH7C75FN');

    const orgs = await fetch(`${first.info.baseUrl}/v1/organisations`, { headers: bearer(first.info.apiKey) });
    expect(orgs.status).toBe(200);
    const listed = (await orgs.json()) as { items: { orgCode: string; abn: string }[] };
    expect(listed.items).toEqual([expect.objectContaining({ orgCode: 'VA1802', abn: '96312011219' })]);

    const auths = await fetch(`${first.info.baseUrl}/v1/organisations/VA1802/authorisations`, {
      headers: bearer(first.info.apiKey),
    });
    expect(((await auths.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ softwareId: '0000123400', status: 'active' }),
    ]);

    const credentials = await fetch(`${first.info.baseUrl}/v1/credentials`, { headers: bearer(first.info.apiKey) });
    expect(((await credentials.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ abn: '11000002568', status: 'active', keyProvider: 'local' }),
    ]);

    const admin = first.info.users.find((u) => u.role === 'provider_admin')!;
    const login = await fetch(`${first.info.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password, totpCode: totpCode(admin.totpSecret!) }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/usi_session=/);

    expect(await stop(first.child)).toBe(0);
    expect(existsSync(postmasterPid(cwd))).toBe(false);

    const second = await start(cwd);
    children.push(second.child);
    console.log(`warm start: /health/ready 200 after ${second.readyAfterMs} ms`);
    expect(second.output()).not.toContain('initialising a Postgres cluster');
    // What a developer pasted from the first run keeps working.
    expect(second.info.apiKey).toBe(first.info.apiKey);
    expect(second.info.users).toEqual(first.info.users);

    const withNew = await fetch(`${second.info.baseUrl}/v1/organisations`, { headers: bearer(second.info.apiKey) });
    expect(withNew.status).toBe(200);
    expect(((await withNew.json()) as { items: unknown[] }).items).toHaveLength(1);
    // The simulator's CA persists in .data/usi-sim, so the stored credential is kept, not rotated.
    const again = await fetch(`${second.info.baseUrl}/v1/credentials`, { headers: bearer(second.info.apiKey) });
    expect(((await again.json()) as { items: { status: string }[] }).items.map((c) => c.status)).toEqual(['active']);

    expect(await stop(second.child)).toBe(0);
    expect(existsSync(postmasterPid(cwd))).toBe(false);
  }, 240_000);
});
