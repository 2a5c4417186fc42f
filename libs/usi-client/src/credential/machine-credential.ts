import type { KeyObject } from 'node:crypto';

/**
 * The part of an ATO machine credential the client needs. Declared here rather than imported so the client stays
 * independent of how credentials are stored; `@usi/keystore`'s LoadedCredential satisfies it structurally.
 */
export interface MachineCredential {
  /** Keystore alias, `ABRD:<ABN>_<name>`; part of the token cache key. */
  id: string;
  abn: string;
  /** Leaf certificate, DER. */
  certificateDer: Buffer;
  privateKey: KeyObject;
  notAfter: Date;
}
