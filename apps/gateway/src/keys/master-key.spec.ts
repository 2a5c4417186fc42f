import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMasterKey } from './master-key';

describe('loadMasterKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'master-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers MASTER_KEY', () => {
    const key = randomBytes(32);
    expect(loadMasterKey({ masterKey: key.toString('base64'), masterKeyFile: join(dir, 'none'), production: true })).toEqual(key);
  });

  it('rejects a key that is not 32 bytes, without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    let caught: unknown;
    try {
      loadMasterKey({ masterKey: short, production: false });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'key_provider.master_key_invalid' });
    expect((caught as Error).message).not.toContain(short);
  });

  it('reads an existing key file', () => {
    const key = randomBytes(32);
    const file = join(dir, 'k');
    writeFileSync(file, key.toString('base64'));
    expect(loadMasterKey({ masterKeyFile: file, production: true })).toEqual(key);
  });

  it('creates a 0600 key file in development and reuses it', () => {
    const file = join(dir, 'nested', 'master.key');
    const first = loadMasterKey({ masterKeyFile: file, production: false });
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first);
    expect(loadMasterKey({ masterKeyFile: file, production: false })).toEqual(first);
  });

  it('refuses to invent a key in production', () => {
    const file = join(dir, 'master.key');
    expect(() => loadMasterKey({ masterKeyFile: file, production: true })).toThrow(
      expect.objectContaining({ code: 'key_provider.master_key_missing' }),
    );
    expect(() => statSync(file)).toThrow();
  });
});
