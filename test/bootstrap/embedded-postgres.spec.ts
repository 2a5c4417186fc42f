import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../../apps/gateway/src/bootstrap/embedded-postgres';
import { queryAs as query } from '../support/test-database';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('startEmbeddedPostgres', () => {
  let baseDir: string;
  const handles: EmbeddedPostgres[] = [];
  const start = async () => {
    const pg = await startEmbeddedPostgres({ baseDir, port: 55433, database: 'emb_test' });
    handles.push(pg);
    return pg;
  };

  beforeAll(() => {
    baseDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
    // mkdtemp makes 0700 dirs; the postgres OS user must be able to traverse it when we run as root.
    chmodSync(baseDir, 0o755);
  });

  afterAll(async () => {
    for (const h of handles.reverse()) await h.stop().catch(() => undefined);
    rmSync(baseDir, { recursive: true, force: true });
  }, 60000);

  it('initialises, serves queries, is re-used while running, and keeps its data across restarts', async () => {
    const first = await start();
    expect(first.started).toBe(true);
    expect(first.url).toBe(`postgres://postgres@127.0.0.1:${first.port}/emb_test`);
    expect(existsSync(join(baseDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(baseDir, 'pg', 'server.log'))).toBe(true);
    await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')`);

    const again = await start();
    expect(again.started).toBe(false);
    expect(again.port).toBe(first.port);
    await again.stop(); // not ours to stop: the server must stay up
    expect(await query(first.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);

    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const restarted = await start();
    expect(restarted.started).toBe(true);
    expect(await query(restarted.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);
    await restarted.stop();
  }, 60000);

  it('recovers from a stale postmaster.pid left by a crash', async () => {
    const pg = await start();
    await pg.stop();
    const pidFile = join(baseDir, 'pg', 'postmaster.pid');
    writeFileSync(pidFile, `${deadPid()}\n${join(baseDir, 'pg')}\n1700000000\n${pg.port}\n/tmp\n127.0.0.1\n  1 2\nready\n`);

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

  it('says what to install when the server binaries are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-pg-bin-'));
    try {
      await expect(startEmbeddedPostgres({ baseDir, binDir: empty })).rejects.toMatchObject({
        code: 'bootstrap.postgres_missing',
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
