import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { AnchorReading, assertChainId, AuditAnchorStore, parseCheckpoint, SignedCheckpoint } from './audit-anchor.store';

export interface S3AuditAnchorStoreOptions {
  bucket: string;
  /** Key prefix, e.g. `audit-anchors/`. */
  prefix: string;
  /** Object Lock (compliance mode) retention of each checkpoint object. */
  retentionDays: number;
  region?: string;
  /** Per-request ceiling; default 5 s. */
  requestTimeoutMs?: number;
  client?: S3Client;
  now?: () => Date;
}

/** The client's region and its per-request ceiling, so an S3 outage fails a checkpoint run instead of hanging it. */
export function s3ClientConfig(options: Pick<S3AuditAnchorStoreOptions, 'region' | 'requestTimeoutMs'>): S3ClientConfig {
  const timeout = options.requestTimeoutMs ?? 5000;
  return { region: options.region, requestHandler: { requestTimeout: timeout, connectionTimeout: timeout } };
}

/** Sequences are stored inverted and zero-padded so that a chain's newest checkpoint is the first key S3 lists. */
const SEQ_CEILING = 10 ** 15;

/**
 * Checkpoints as objects in an S3 bucket created with Object Lock: each one written once (`If-None-Match: *`) in
 * compliance mode, so not even the bucket's owner can overwrite or delete it before its retention ends. The AWS
 * deployment's adapter; the bucket's policy should let the gateway's role put and read only. `latest` reads the
 * chain's newest object and checks its signature.
 */
export class S3AuditAnchorStore implements AuditAnchorStore {
  private readonly client: S3Client;
  private readonly now: () => Date;

  constructor(
    private readonly options: S3AuditAnchorStoreOptions,
    private readonly verify: (checkpoint: SignedCheckpoint) => boolean,
  ) {
    this.client = options.client ?? new S3Client(s3ClientConfig(options));
    this.now = options.now ?? (() => new Date());
  }

  async append(checkpoints: readonly SignedCheckpoint[]): Promise<void> {
    const retainUntil = new Date(this.now().getTime() + this.options.retentionDays * 86_400_000);
    for (const c of checkpoints) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.keyOf(c),
          Body: JSON.stringify(c),
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: retainUntil,
        }),
      );
    }
  }

  async latest(chainId: string): Promise<AnchorReading> {
    const listed = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.chainPrefix(chainId), MaxKeys: 1 }),
    );
    const key = listed.Contents?.[0]?.Key;
    if (!key) return { problems: [] };
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    // Stryker disable next-line StringLiteral: any text that is not a checkpoint reads the same as an empty one.
    const entry = parseCheckpoint((await object.Body?.transformToString('utf8')) ?? '');
    if (!entry || entry.chainId !== chainId || this.keyOf(entry) !== key || !this.verify(entry)) {
      return { problems: [`${key}: signature does not verify`] };
    }
    return { checkpoint: entry, problems: [] };
  }

  private chainPrefix(chainId: string): string {
    return `${this.options.prefix}${assertChainId(chainId)}/`;
  }

  private keyOf(c: SignedCheckpoint): string {
    return `${this.chainPrefix(c.chainId)}${String(SEQ_CEILING - c.seq).padStart(16, '0')}-${c.at}.json`;
  }
}
