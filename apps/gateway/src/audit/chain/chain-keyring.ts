import { createHash, createHmac } from 'node:crypto';

/** A chain key and its id (stored on every row it keyed). */
export interface ChainKey {
  id: string;
  key: Buffer;
}

/**
 * The chain keys in clear, in this process only: the one new rows are keyed with, and every key a stored row may
 * name. Loaded once at start (one key-provider call per key, never one per append).
 */
export class ChainKeyring {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(
    readonly current: ChainKey,
    // Stryker disable next-line ArrayDeclaration: a non-key element maps undefined to undefined, which no id reaches.
    others: readonly ChainKey[] = [],
  ) {
    this.byId = new Map([...others, current].map((k) => [k.id, k.key]));
  }

  key(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  /** The key that signs checkpoints: derived, so a checkpoint signature is never also a valid row HMAC. */
  checkpointKey(id: string): Buffer | undefined {
    const key = this.key(id);
    return key && createHmac('sha256', key).update('usi-gateway audit checkpoint v1').digest();
  }
}

/** A key id that names the key without revealing it (its SHA-256 prefix) and cannot collide by accident. */
export function chainKeyId(key: Buffer): string {
  return `ak_${createHash('sha256').update('usi-gateway audit chain key id').update(key).digest('hex').slice(0, 16)}`;
}
