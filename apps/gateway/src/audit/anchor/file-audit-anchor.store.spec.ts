import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainKeyring } from '../chain/chain-keyring';
import { CheckpointSigner } from './checkpoint-signer';
import { FileAuditAnchorStore } from './file-audit-anchor.store';

const CHAIN = 'org:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const OTHER = 'vendor:9c5b94b1-35ad-49bb-b118-8e8fc24abf80';

describe('FileAuditAnchorStore', () => {
  let dir: string;
  const signer = new CheckpointSigner(new ChainKeyring({ id: 'k1', key: randomBytes(32) }));
  const store = () => new FileAuditAnchorStore(dir, (c) => signer.verify(c));
  const checkpoint = (chainId: string, seq: number) =>
    signer.sign({ chainId, seq, hash: randomBytes(32).toString('hex'), at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), keyedFrom: 1 });
  const fileOf = (chainId: string) => join(dir, `${chainId.replace(':', '_')}.jsonl`);

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'anchors-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has nothing for a chain never checkpointed', async () => {
    await expect(store().latest(CHAIN)).resolves.toEqual({ problems: [] });
  });

  it('only appends, one file per chain readable by its owner only, and reads back the latest checkpoint', async () => {
    const first = checkpoint(CHAIN, 3);
    await store().append([first, checkpoint(OTHER, 1)]);
    const before = readFileSync(fileOf(CHAIN), 'utf8');
    const latest = checkpoint(CHAIN, 7);
    await store().append([latest]);
    const after = readFileSync(fileOf(CHAIN), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.trim().split('\n')).toHaveLength(2);
    expect(statSync(fileOf(CHAIN)).mode & 0o777).toBe(0o600);
    await expect(store().latest(CHAIN)).resolves.toEqual({ checkpoint: latest, problems: [] });
    await expect(store().latest(OTHER)).resolves.toMatchObject({ checkpoint: { seq: 1 }, problems: [] });
  });

  it('reports a line edited in the file and falls back to the last line that verifies', async () => {
    const good = checkpoint(CHAIN, 3);
    await store().append([good, checkpoint(CHAIN, 8)]);
    const lines = readFileSync(fileOf(CHAIN), 'utf8').trim().split('\n');
    const forged = { ...JSON.parse(lines[1]), seq: 5 };
    writeFileSync(fileOf(CHAIN), `${lines[0]}\n${JSON.stringify(forged)}\n`);
    await expect(store().latest(CHAIN)).resolves.toEqual({ checkpoint: good, problems: [`${CHAIN} line 2: signature does not verify`] });
  });

  it('reports a line signed with another key, a line of another chain and a garbled line', async () => {
    const stranger = new CheckpointSigner(new ChainKeyring({ id: 'k1', key: randomBytes(32) }));
    const foreign = stranger.sign({ chainId: CHAIN, seq: 9, hash: 'a'.repeat(64), at: '2026-01-01T00:00:00.000Z', keyedFrom: 1 });
    writeFileSync(fileOf(CHAIN), `${JSON.stringify(foreign)}\n${JSON.stringify(checkpoint(OTHER, 2))}\n{"seq":\n`);
    const reading = await store().latest(CHAIN);
    expect(reading.checkpoint).toBeUndefined();
    expect(reading.problems).toHaveLength(3);
  });

  it('reports a checkpoint whose sequence goes back', async () => {
    await store().append([checkpoint(CHAIN, 6), checkpoint(CHAIN, 4)]);
    await expect(store().latest(CHAIN)).resolves.toMatchObject({ checkpoint: { seq: 6 }, problems: [`${CHAIN} line 2: sequence 4 after 6`] });
  });

  it('never turns something other than a chain id into a path', async () => {
    await expect(store().latest('../../etc/passwd')).rejects.toThrow(/not an audit chain id/);
    await expect(store().append([{ ...checkpoint(CHAIN, 1), chainId: 'org:../x' }])).rejects.toThrow(/not an audit chain id/);
  });

  it('accepts the same checkpoint twice (two instances anchoring one head) without reporting it', async () => {
    const same = checkpoint(CHAIN, 5);
    await store().append([checkpoint(CHAIN, 2), same]);
    await store().append([same]);
    await expect(store().latest(CHAIN)).resolves.toEqual({ checkpoint: same, problems: [] });
  });

  it('creates nothing for an empty batch', async () => {
    const fresh = join(dir, 'not-yet');
    await new FileAuditAnchorStore(fresh, (c) => signer.verify(c)).append([]);
    expect(existsSync(fresh)).toBe(false);
  });
});
