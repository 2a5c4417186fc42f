import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoInfo, readDemoFile, writeDemoFile } from './demo-file';

const INFO: DemoInfo = {
  baseUrl: 'http://127.0.0.1:3000',
  apiKey: 'usi_test_abc',
  orgCode: 'VA1802',
  users: [{ email: 'admin@va1802.example', password: 'pw', role: 'provider_admin' }],
};

describe('demo file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'demo-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes owner-only JSON (creating the directory) and reads it back', () => {
    const file = writeDemoFile(INFO, join(dir, 'nested', 'demo.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(INFO);
    expect(readDemoFile(file)).toEqual(INFO);
  });

  it('replaces an existing file and keeps it owner-only', () => {
    const file = join(dir, 'demo.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    writeDemoFile({ ...INFO, apiKey: 'usi_test_new' }, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readDemoFile(file)?.apiKey).toBe('usi_test_new');
  });

  it('treats a missing, corrupt or foreign file as no previous run', () => {
    expect(readDemoFile(join(dir, 'absent.json'))).toBeUndefined();
    writeFileSync(join(dir, 'corrupt.json'), '{"baseUrl":');
    expect(readDemoFile(join(dir, 'corrupt.json'))).toBeUndefined();
    writeFileSync(join(dir, 'other.json'), '{"users":"nope"}');
    expect(readDemoFile(join(dir, 'other.json'))).toBeUndefined();
  });
});
