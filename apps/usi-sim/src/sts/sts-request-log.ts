import type { ActAsRequest } from './rst-reader';

/** What the STS made of one token request: enough for a test to prove who asked, for whom, and what it got. */
export interface StsRequestRecord {
  /** The STS clock (skew included) when it handled the request. */
  at: string;
  /** `issued`, or the fault subcode it answered with (e.g. `o:FailedAuthentication`). */
  outcome: string;
  /** From the verified signing certificate; absent when the signature or certificate was refused first. */
  credentialAbn?: string;
  credentialId?: string;
  credentialFingerprint?: string;
  appliesTo?: string;
  /** The RelationshipToken asked for; null when the request carried no ActAs (a direct, first-party token). */
  actAs: ActAsRequest | null;
}

const DEFAULT_CAPACITY = 1000;

/** The last `capacity` token requests the STS handled, oldest first (admin API `GET /admin/sts-requests`). */
export class StsRequestLog {
  private readonly records: StsRequestRecord[] = [];

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  add(record: StsRequestRecord): void {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
  }

  list(): StsRequestRecord[] {
    return this.records.map((r) => ({ ...r, actAs: r.actAs && { ...r.actAs } }));
  }

  clear(): void {
    this.records.length = 0;
  }
}
