import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditService } from '@gateway/audit/audit.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { organisationChain } from '@gateway/audit/chain/audit-chain';
import { MARYAM } from '../usi/support/usi-requests';
import { auditEventInput } from '../../support/audit-event';
import { lockChainHead } from '../../support/chain-head-lock';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

const MAIN = join(__dirname, '../../../dist/apps/gateway/src/main.js');
const DIST_AUDIT = join(__dirname, '../../../dist/apps/gateway/src/audit');

/**
 * A process that appends one event through the audit pool and reports `handed over` and `stored` on stdout; the
 * event comes in EVENT, the database in DATABASE_URL.
 */
const APPENDER = `
  const { AuditAppendPool } = require(${JSON.stringify(join(DIST_AUDIT, 'audit-append.pool.js'))});
  const { AuditRepository } = require(${JSON.stringify(join(DIST_AUDIT, 'audit.repository.js'))});
  const { ChainKeyring } = require(${JSON.stringify(join(DIST_AUDIT, 'chain/chain-keyring.js'))});
  const pool = new AuditAppendPool(process.env.DATABASE_URL, 1);
  const keys = new ChainKeyring({ id: 'ak_crash', key: require('node:crypto').randomBytes(32) });
  const { handedOver, stored } = new AuditRepository(pool, keys).appendHandedOver(JSON.parse(process.env.EVENT));
  handedOver.then(() => process.stdout.write('handed over\\n'));
  stored.then(() => process.stdout.write('stored\\n'), (err) => process.stdout.write('failed ' + err.message + '\\n'));
`;

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

/** Resolves once the child has printed `line` (the output so far is kept in `seen`). */
function printed(child: ChildProcess, line: string, seen: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      seen.push(...chunk.toString().split('\n').filter(Boolean));
      if (seen.includes(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing "${line}": ${seen.join(' | ')}`)));
  });
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

  it('an append handed over to Postgres commits even though its process is killed before the answer', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const chainId = organisationChain(organisation.id);
    const event = (type: string) =>
      auditEventInput({ vendorId: asVendorId(vendor.id), organisationId: organisation.id, category: 'security', type, outcome: 'recorded' });
    const auditService = env.gw.app.get(AuditService);
    await auditService.append(event('crash.head'));
    // The server keeps the append waiting on the chain head until the appender is gone.
    const lock = await lockChainHead(env.gw.db.ownerUrl, chainId);
    const appender = spawn(process.execPath, ['-e', APPENDER], {
      env: { ...process.env, DATABASE_URL: env.gw.db.appUrl, EVENT: JSON.stringify(event('crash.handed_over')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seen: string[] = [];
    try {
      await printed(appender, 'handed over', seen);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual(['handed over']);
      appender.kill('SIGKILL');
      await new Promise((r) => appender.once('exit', r));
    } finally {
      await lock.release();
    }
    const types = await waitFor(async () => {
      const rows = await queryAs<{ type: string }>(
        env.gw.db.ownerUrl,
        `select type from audit_events where chain_id = $1 order by chain_seq`,
        [chainId],
      );
      return rows.length === 2 ? rows.map((r) => r.type) : undefined;
    }, 5_000);
    expect(types).toEqual(['crash.head', 'crash.handed_over']);
    expect(seen).toEqual(['handed over']);
  }, 30_000);

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
        // The in-process app's key: the vendor's credential it stored is opened by this process too.
        MASTER_KEY: env.gw.config.keys.masterKey,
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
    // Both exchanges' started rows were handed to Postgres before their upstream calls (VerifyUSI is a read) and had
    // committed by the kill; their outcomes wait to be committed with the inbound event, which never came: the USI
    // call is on record as started and nothing more.
    expect(rows.filter((r) => r.related_event_id === started.id)).toEqual([]);
    expect(rows.filter((r) => r.operation === 'VerifyUSI').map((r) => r.type)).toEqual(['started']);
    expect(rows.some((r) => r.type === 'request')).toBe(false);
  }, 60_000);
});
