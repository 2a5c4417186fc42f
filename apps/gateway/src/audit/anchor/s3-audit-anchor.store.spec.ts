import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { ChainKeyring } from '../chain/chain-keyring';
import { SignedCheckpoint } from './audit-anchor.store';
import { CheckpointSigner } from './checkpoint-signer';
import { S3AuditAnchorStore } from './s3-audit-anchor.store';

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
});
