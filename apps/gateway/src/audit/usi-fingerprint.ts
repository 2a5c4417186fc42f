import { createHmac, hkdfSync } from 'node:crypto';
import { maskUsi } from '@usi/contract';
import { AppError } from '../common/errors/app-error';

export interface UsiFingerprint {
  hmac: string;
  masked: string;
}

/** Keyed so that the 10-character USI space cannot be brute-forced from a stolen audit table. */
export class UsiFingerprinter {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new AppError('config.audit_hmac_key', 'AUDIT_HMAC_KEY must be at least 32 bytes');
  }

  /** From AUDIT_HMAC_KEY (base64), or derived from the master key where a configured key is not required. */
  static fromConfig(hmacKeyBase64: string | undefined, masterKey: () => Buffer): UsiFingerprinter {
    if (hmacKeyBase64) return new UsiFingerprinter(Buffer.from(hmacKeyBase64, 'base64'));
    return new UsiFingerprinter(Buffer.from(hkdfSync('sha256', masterKey(), Buffer.alloc(0), 'usi-gateway audit usi hmac', 32)));
  }

  hmac(usi: string): string {
    return createHmac('sha256', this.key).update(usi.trim().toUpperCase()).digest('hex');
  }

  fingerprint(usi: string): UsiFingerprint {
    return { hmac: this.hmac(usi), masked: maskUsi(usi.trim().toUpperCase()) };
  }
}
