import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MARYAM } from '../usi/support/usi-requests';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

const MAIN = join(__dirname, '../../../dist/apps/gateway/src/main.js');

/** The child's "listening on <url>" line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}) before listening:\n${out}`)));
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('audit across a crash (needs dist/: `npm test` builds it)', () => {
  let env: UsiTestEnv;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does) first`);
    env = await createUsiTestEnv();
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await env?.close();
  });

  it('a gateway killed with SIGKILL mid-call leaves a started exchange with no completion', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    env.sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'hang' } } });

    child = spawn(process.execPath, [MAIN], {
      cwd: join(__dirname, '../../..'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: env.gw.db.appUrl,
        DATABASE_MIGRATION_URL: env.gw.db.ownerUrl,
        USI_ENV: 'sim',
        USI_SIM_URL: env.sim.url,
        USI_TIMEOUT_MS: '60000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await listeningUrl(child);
    const requestId = `crash-${Date.now()}`;
    const pending = fetch(`${url}/v1/organisations/${organisation.orgCode}/usi/verify`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
      body: JSON.stringify(MARYAM),
    }).catch((err: unknown) => err);

    const started = await waitFor(async () => {
      const [row] = await queryAs<{ id: string }>(
        env.gw.db.ownerUrl,
        `select id from audit_events where request_id = $1 and type = 'started' and operation = 'VerifyUSI'`,
        [requestId],
      );
      return row;
    }, 20_000);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    // No response ever came: the connection died with the process.
    expect(await pending).toHaveProperty('message', 'fetch failed');

    const rows = await queryAs<{ type: string; operation: string; related_event_id: string | null }>(
      env.gw.db.ownerUrl,
      `select type, operation, related_event_id from audit_events where request_id = $1 order by occurred_at, chain_seq`,
      [requestId],
    );
    // Both exchanges' started rows were committed before their upstream calls; their outcomes wait to be committed
    // with the inbound event, which never came: the USI call is on record as started and nothing more.
    expect(rows.filter((r) => r.related_event_id === started.id)).toEqual([]);
    expect(rows.filter((r) => r.operation === 'VerifyUSI').map((r) => r.type)).toEqual(['started']);
    expect(rows.some((r) => r.type === 'request')).toBe(false);
  }, 60_000);
});
