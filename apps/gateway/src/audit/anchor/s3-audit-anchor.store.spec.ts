import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { ChainKeyring } from '../chain/chain-keyring';
import { SignedCheckpoint } from './audit-anchor.store';
import { CheckpointSigner } from './checkpoint-signer';
import { S3AuditAnchorStore, s3ClientConfig } from './s3-audit-anchor.store';

const CHAIN = 'org:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const NOW = new Date('2026-12-04T00:00:00.000Z');

/** A stand-in bucket: keeps each object once (like `If-None-Match: *`) and lists keys in S3's (lexicographic) order. */
function fakeBucket() {
  const s3 = mockClient(S3Client);
  const objects = new Map<string, string>();
  s3.on(PutObjectCommand).callsFake((input) => {
    if (objects.has(input.Key)) throw Object.assign(new Error('PreconditionFailed'), { name: 'PreconditionFailed' });
    objects.set(input.Key, String(input.Body));
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake((input) => {
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix)).sort();
    return { Contents: keys.slice(0, input.MaxKeys).map((Key) => ({ Key })) };
  });
  // The part of the SDK's streaming body the store uses.
  s3.on(GetObjectCommand).callsFake((input) => ({ Body: { transformToString: async () => objects.get(input.Key)! } }));
  return { s3, objects };
}

describe('S3AuditAnchorStore', () => {
  const signer = new CheckpointSigner(new ChainKeyring({ id: 'k1', key: randomBytes(32) }));
  const checkpoint = (seq: number, at = `2026-12-04T00:0${seq}:00.000Z`): SignedCheckpoint =>
    signer.sign({ chainId: CHAIN, seq, hash: randomBytes(32).toString('hex'), at, keyedFrom: 1 });
  const storeOn = () =>
    new S3AuditAnchorStore(
      { bucket: 'anchors', prefix: 'audit/', retentionDays: 30, client: new S3Client({ region: 'ap-southeast-2' }), now: () => NOW },
      (c) => signer.verify(c),
    );

  it('writes each checkpoint once, locked in compliance mode, and reads back the newest', async () => {
    const { s3 } = fakeBucket();
    const store = storeOn();
    await store.append([checkpoint(2), checkpoint(9)]);
    const newest = checkpoint(11);
    await store.append([newest]);
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put).toMatchObject({
      Bucket: 'anchors',
      IfNoneMatch: '*',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date('2027-01-03T00:00:00.000Z'),
    });
    expect(put.Key).toMatch(/^audit\/org:1b4e28ba-2fa1-11d2-883f-0016d3cca427\/\d{16}-/);
    await expect(store.latest(CHAIN)).resolves.toEqual({ checkpoint: newest, problems: [] });
    s3.restore();
  });

  it('has nothing for a chain never checkpointed', async () => {
    const { s3 } = fakeBucket();
    await expect(storeOn().latest(CHAIN)).resolves.toEqual({ problems: [] });
    s3.restore();
  });

  it('reports a newest object whose content does not verify', async () => {
    const { s3, objects } = fakeBucket();
    const store = storeOn();
    await store.append([checkpoint(3), checkpoint(4)]);
    const [newestKey] = [...objects.keys()].sort();
    objects.set(newestKey, JSON.stringify({ ...JSON.parse(objects.get(newestKey)!), hash: 'f'.repeat(64) }));
    await expect(store.latest(CHAIN)).resolves.toEqual({ problems: [`${newestKey}: signature does not verify`] });
    s3.restore();
  });

  it('builds its own client and clock when given none, and stores checkpoints as JSON retained from now', async () => {
    const { s3 } = fakeBucket();
    const store = new S3AuditAnchorStore({ bucket: 'anchors', prefix: 'audit/', retentionDays: 1, region: 'ap-southeast-2' }, (c) => signer.verify(c));
    const before = Date.now();
    const cp = checkpoint(1);
    await store.append([cp]);
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.ContentType).toBe('application/json');
    expect(JSON.parse(String(put.Body))).toEqual(cp);
    const retainUntil = (put.ObjectLockRetainUntilDate as Date).getTime();
    expect(retainUntil).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(retainUntil).toBeLessThanOrEqual(Date.now() + 86_400_000);
    await expect(store.latest(CHAIN)).resolves.toEqual({ checkpoint: cp, problems: [] });
    s3.restore();
  });

  it('has nothing when the listing has no Contents at all (how S3 answers an empty prefix)', async () => {
    const s3 = mockClient(S3Client);
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    await expect(storeOn().latest(CHAIN)).resolves.toEqual({ problems: [] });
    s3.restore();
  });

  it('reports a newest object without a body or with garbled content', async () => {
    const { s3, objects } = fakeBucket();
    await storeOn().append([checkpoint(3)]);
    const [key] = [...objects.keys()];
    s3.on(GetObjectCommand).resolves({});
    await expect(storeOn().latest(CHAIN)).resolves.toEqual({ problems: [`${key}: signature does not verify`] });
    objects.set(key, '{"seq":');
    s3.on(GetObjectCommand).callsFake((input) => ({ Body: { transformToString: async () => objects.get(input.Key)! } }));
    await expect(storeOn().latest(CHAIN)).resolves.toEqual({ problems: [`${key}: signature does not verify`] });
    s3.restore();
  });

  it("reports a validly signed checkpoint of another chain copied under this chain's prefix", async () => {
    const { s3, objects } = fakeBucket();
    const other = 'org:2c5f39cb-3fb2-42e3-994f-1127e4ddb538';
    const foreign = signer.sign({ chainId: other, seq: 3, hash: 'a'.repeat(64), at: '2026-12-04T00:03:00.000Z', keyedFrom: 1 });
    const key = `audit/${CHAIN}/${String(10 ** 15 - 3).padStart(16, '0')}-${foreign.at}.json`;
    objects.set(key, JSON.stringify(foreign));
    await expect(storeOn().latest(CHAIN)).resolves.toEqual({ problems: [`${key}: signature does not verify`] });
    s3.restore();
  });

  it('reports an older checkpoint replayed under a key that sorts as the newest', async () => {
    const { s3, objects } = fakeBucket();
    const store = storeOn();
    const old = checkpoint(2);
    await store.append([old, checkpoint(8)]);
    const replayKey = `audit/${CHAIN}/${String(10 ** 15 - 9).padStart(16, '0')}-${old.at}.json`;
    objects.set(replayKey, JSON.stringify(old));
    await expect(store.latest(CHAIN)).resolves.toEqual({ problems: [`${replayKey}: signature does not verify`] });
    s3.restore();
  });

  it('reports, without throwing, a newest object whose content names no chain id at all', async () => {
    const { s3, objects } = fakeBucket();
    const bogus = signer.sign({ chainId: 'org:../../x', seq: 3, hash: 'a'.repeat(64), at: '2026-12-04T00:03:00.000Z', keyedFrom: 1 });
    const key = `audit/${CHAIN}/${String(10 ** 15 - 3).padStart(16, '0')}-${bogus.at}.json`;
    objects.set(key, JSON.stringify(bogus));
    await expect(storeOn().latest(CHAIN)).resolves.toEqual({ problems: [`${key}: signature does not verify`] });
    s3.restore();
  });
});

describe('s3ClientConfig', () => {
  it('bounds every request, 5 s unless configured, in the configured region', () => {
    expect(s3ClientConfig({ region: 'ap-southeast-2' })).toEqual({
      region: 'ap-southeast-2',
      requestHandler: { requestTimeout: 5000, connectionTimeout: 5000 },
    });
    expect(s3ClientConfig({ requestTimeoutMs: 1500 })).toMatchObject({ requestHandler: { requestTimeout: 1500, connectionTimeout: 1500 } });
  });
});
