import { keyMatchesCertificate } from '../crypto/key-match';
import { KeystoreError } from '../keystore.error';
import type {
  CredentialSummary,
  ListCredentialsOptions,
  LoadCredentialOptions,
  LoadedCredential,
} from '../keystore.types';
import { parseCertificateChain } from './certificate-chain.parser';
import { parseKeystoreDocument, RawCredential } from './keystore-document.parser';
import { decryptPrivateKey } from './private-key.decryptor';

function summarise(raw: RawCredential, now: Date): CredentialSummary {
  const certs = parseCertificateChain(raw.id, raw.publicCertificate, raw.serialNumber);
  return {
    id: raw.id,
    abn: raw.abn,
    legalName: raw.legalName,
    serialNumber: certs.serialNumber,
    sha1Fingerprint: certs.sha1Fingerprint,
    notBefore: certs.notBefore,
    notAfter: certs.notAfter,
    expired: now.getTime() > certs.notAfter.getTime(),
    chain: certs.chain,
  };
}

/** Lists every credential of a keystore with its certificate facts; no password needed. */
export function listCredentials(xml: string | Buffer, options: ListCredentialsOptions = {}): CredentialSummary[] {
  const now = options.now ?? new Date();
  return parseKeystoreDocument(xml).map((raw) => summarise(raw, now));
}

/**
 * Checks `password` against every credential's private key (and that each key belongs to its certificate), whatever
 * the certificates' dates: the answer to "is this the keystore's password?", not "can this credential be used now?".
 */
export function checkKeystorePassword(xml: string | Buffer, password: string): void {
  for (const raw of parseKeystoreDocument(xml)) {
    const privateKey = decryptPrivateKey(raw.id, raw.protectedPrivateKey, password);
    const leaf = parseCertificateChain(raw.id, raw.publicCertificate, raw.serialNumber).chain[0];
    if (!keyMatchesCertificate(privateKey, leaf)) {
      throw new KeystoreError('keystore.key_mismatch', `Credential ${raw.id}: the private key does not match the certificate`, { id: raw.id });
    }
  }
}

function selectCredential(all: RawCredential[], alias?: string, abn?: string): RawCredential {
  const matches = all.filter((c) => (alias === undefined || c.id === alias) && (abn === undefined || c.abn === abn));
  if (matches.length === 1) return matches[0];
  const available = all.map((c) => c.id);
  const reason = matches.length === 0 ? 'no credential matches' : 'more than one credential matches';
  throw new KeystoreError(
    'keystore.credential_not_found',
    `Keystore: ${reason} (alias ${alias ?? '-'}, ABN ${abn ?? '-'}); available: ${available.join(', ')}`,
    { alias, abn, available },
  );
}

function assertValid(summary: CredentialSummary, now: Date): void {
  const facts = { id: summary.id, notBefore: summary.notBefore.toISOString(), notAfter: summary.notAfter.toISOString() };
  if (now.getTime() > summary.notAfter.getTime()) {
    throw new KeystoreError('keystore.expired', `Credential ${summary.id} expired at ${facts.notAfter}`, facts);
  }
  if (now.getTime() < summary.notBefore.getTime()) {
    throw new KeystoreError('keystore.not_yet_valid', `Credential ${summary.id} is valid from ${facts.notBefore}`, facts);
  }
}

/**
 * Loads one credential (by alias, by ABN, or the only one) with its decrypted private key. Checks, in order: the
 * password, that the key belongs to the leaf certificate, and the leaf certificate's validity at `now`.
 */
export function loadCredential(xml: string | Buffer, options: LoadCredentialOptions): LoadedCredential {
  const now = options.now ?? new Date();
  const raw = selectCredential(parseKeystoreDocument(xml), options.alias, options.abn);
  const summary = summarise(raw, now);
  const privateKey = decryptPrivateKey(raw.id, raw.protectedPrivateKey, options.password);
  if (!keyMatchesCertificate(privateKey, summary.chain[0])) {
    throw new KeystoreError('keystore.key_mismatch', `Credential ${raw.id}: the private key does not match the certificate`, {
      id: raw.id,
    });
  }
  assertValid(summary, now);
  return { ...summary, certificateDer: summary.chain[0], privateKey };
}
