import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DemoInfo } from '@gateway/bootstrap/demo-file';
import { startTestSimulator } from '../usi-sim/support/running-sim';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { totpCode } from '@gateway/auth/mfa/totp';

/** The built gateway (`npm test` builds dist/ first), as `npm run start:prod` runs it. */
const MAIN = resolve(__dirname, '..', '..', 'dist', 'apps', 'gateway', 'src', 'main.js');

type LogLine = Record<string, unknown> & { requestId?: string; msg?: string; context?: string };

/**
 * Boots the built app against a migrated database and a simulator, sends requests carrying every kind of secret
 * the gateway handles, and reads pino's stdout: each request's lines carry its id, no line carries a secret.
 */
describe('request logging of the built gateway', () => {
  let db: TestDatabase;
  let sim: Awaited<ReturnType<typeof startTestSimulator>>;
  let cwd: string;
  let child: ChildProcess;
  let stdout = '';
  let info: DemoInfo;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startTestSimulator();
    cwd = mkdtempSync(join(tmpdir(), 'request-logging-'));
    child = spawn(process.execPath, [MAIN], {
      cwd,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.appUrl,
        DATABASE_MIGRATION_URL: db.ownerUrl,
        USI_ENV: 'sim',
        USI_SIM_URL: sim.url,
        USI_RETRIES: '0',
        DEMO_SEED: 'true',
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stdout += d.toString()));
    const demoFile = join(cwd, '.data', 'demo.json');
    for (let i = 0; i < 300 && !existsSync(demoFile); i++) {
      if (child.exitCode !== null) throw new Error(`gateway exited: ${stdout.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    info = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoInfo;
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise((done) => {
        child.once('exit', done);
        child.kill('SIGTERM');
      });
    }
    await sim?.stop();
    await db?.drop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  const send = (path: string, requestId: string, init: { method?: string; body?: unknown; auth?: boolean } = {}) =>
    fetch(info.baseUrl + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'x-request-id': requestId,
        'content-type': 'application/json',
        ...(init.auth === false ? {} : { authorization: `Bearer ${info.apiKey}` }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  const lines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);

  it('tags every line of a request with its id and never logs a key, password, Authorization header or keystore', async () => {
    const user = info.users[0] as { email: string; password: string; totpSecret: string };
    const keystorePassword = 'Keystore-Secret-Pw-91';
    const keystoreXml = sim.admin.issueKeystore({ abn: '11000002568', name: 'LOGTEST', password: keystorePassword });

    expect((await send('/v1/organisations', 'rl-list-1')).status).toBe(200);
    expect((await send('/v1/auth/login', 'rl-login-1', { body: { email: user.email, password: user.password, totpCode: totpCode(user.totpSecret) }, auth: false })).status).toBe(200);
    expect((await send('/v1/auth/login', 'rl-login-2', { body: { email: user.email, password: `${user.password}x` }, auth: false })).status).toBe(401);
    const upload = await send('/v1/credentials', 'rl-cred-1', {
      body: { credentialId: 'ABRD:11000002568_LOGTEST', password: keystorePassword, keystoreXml },
    });
    expect(upload.status).toBe(201);
    sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http503' } } });
    const failed = await send('/v1/organisations/VA1802/usi/verify', 'rl-fail-1', {
      body: { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' },
    });
    expect(failed.status).toBe(503);
    sim.admin.clearFaults();
    // A USI and an emailed token in a query string: the request line names the parameters, never their values.
    const resetToken = 'rl-reset-token-5f1d9c';
    await send('/v1/audit/events?usi=XNY5NV9WG9&limit=1', 'rl-usi-1');
    await send(`/password/reset?token=${resetToken}`, 'rl-token-1', { auth: false });
    await new Promise((r) => setTimeout(r, 300));

    const logged = lines();
    for (const id of ['rl-list-1', 'rl-login-1', 'rl-login-2', 'rl-cred-1', 'rl-fail-1', 'rl-usi-1', 'rl-token-1']) {
      expect({ id, completed: logged.some((l) => l.requestId === id && /request (completed|errored)/.test(String(l.msg))) }).toEqual({ id, completed: true });
    }
    // A line written through Nest's Logger inside the request (the problem filter's 5xx report) has the id too.
    const filterLines = logged.filter((l) => l.context === 'ProblemDetailsFilter');
    expect(filterLines.length).toBeGreaterThan(0);
    expect(filterLines.map((l) => l.requestId)).toEqual(filterLines.map(() => 'rl-fail-1'));
    // A registry outage is expected, not a bug: one warn line (pino level 40) with its code, no exception or stack.
    expect(filterLines.map((l) => ({ level: l.level, code: l.code, err: 'err' in l, stack: JSON.stringify(l).includes('stack') }))).toEqual([
      { level: 40, code: 'upstream.unavailable', err: false, stack: false },
    ]);

    const keystoreBody = keystoreXml.replace(/\s+/g, '').match(/>([A-Za-z0-9+/=]{40,})</)?.[1] ?? '';
    expect(keystoreBody.length).toBeGreaterThan(40);
    // Only pino's lines: the demo banner prints the demo key and logins on purpose.
    const pinoOutput = logged.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of [info.apiKey, user.password, user.totpSecret, keystorePassword, keystoreBody.slice(0, 40), 'XNY5NV9WG9', resetToken]) {
      expect({ secret: secret.slice(0, 6), inLog: pinoOutput.includes(secret) }).toEqual({ secret: secret.slice(0, 6), inLog: false });
    }
    expect(pinoOutput).not.toMatch(/"authorization":"(?!\[redacted\])/i);
    expect(pinoOutput).toContain('/password/reset?token=[withheld]');
  });
});
