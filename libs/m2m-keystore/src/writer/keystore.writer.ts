import { createHash, KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { keyMatchesCertificate } from '../crypto/key-match';
import { KeystoreError } from '../keystore.error';
import { CREDENTIAL_STORE_NS } from '../reader/keystore-document.parser';
import { encodeCertificateBundle } from './certificate-bundle.encoder';
import { encryptPrivateKey } from './private-key.encryptor';

export interface KeystoreEntry {
  abn: string;
  name: string;
  /** DER, leaf first. */
  chain: Buffer[];
  privateKey: KeyObject;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** ISO seconds in UTC. The ATO stores label UTC wall-clock times "+10:00"; we write the true offset instead. */
const isoSeconds = (date: Date) => date.toISOString().slice(0, 19);

function invalid(reason: string, details: Record<string, unknown> = {}): KeystoreError {
  return new KeystoreError('keystore.invalid_entry', `Cannot write keystore: ${reason}`, { reason, ...details });
}

function credentialXml(entry: KeystoreEntry, password: string, createdAt: Date): string {
  const id = `ABRD:${entry.abn}_${entry.name}`;
  if (!/^\d{11}$/.test(entry.abn)) throw invalid('ABN must be 11 digits', { id });
  if (!entry.name.trim()) throw invalid('name must not be blank', { id });
  if (entry.chain.length === 0) throw invalid('chain is empty', { id });
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(entry.chain[0]);
  } catch {
    throw invalid('chain[0] is not a DER certificate', { id });
  }
  if (!keyMatchesCertificate(entry.privateKey, entry.chain[0])) {
    throw new KeystoreError('keystore.key_mismatch', `Cannot write keystore: the key of ${id} does not match chain[0]`, { id });
  }
  const { encrypted, salt } = encryptPrivateKey(entry.privateKey, password);
  const name = escapeXml(entry.name);
  // The real integrityValue algorithm lives in the closed ABR SDKs and no open-source reader checks it (m2m-sts.md
  // §2.4), so a random value of the right size keeps the format without pretending to be verifiable.
  const integrityValue = randomBytes(20).toString('base64');
  return `    <credential credentialSalt="${salt.toString('base64')}" credentialType="D" id="${escapeXml(id)}" integrityValue="${integrityValue}">
      <name1>${name}</name1>
      <name2/>
      <abn>${entry.abn}</abn>
      <legalName>${name}</legalName>
      <personId/>
      <serialNumber>${BigInt(`0x${leaf.serialNumber}`).toString(10)}</serialNumber>
      <creationDate>${isoSeconds(createdAt)}</creationDate>
      <notBefore>${isoSeconds(new Date(leaf.validFrom))}+00:00</notBefore>
      <notAfter>${isoSeconds(new Date(leaf.validTo))}+00:00</notAfter>
      <sha1fingerprint>${createHash('sha1').update(entry.chain[0]).digest('base64')}</sha1fingerprint>
      <publicCertificate>${encodeCertificateBundle(entry.chain).toString('base64')}</publicCertificate>
      <protectedPrivateKey>${encrypted.toString('base64')}</protectedPrivateKey>
    </credential>
`;
}

/** Writes an ATO-format `credentialStore` that listCredentials/loadCredential and the ATO samples can read. */
export function writeKeystore(entries: KeystoreEntry[], password: string): string {
  if (entries.length === 0) throw invalid('no entries');
  if (!password) throw invalid('password must not be empty');
  const ids = entries.map((e) => `ABRD:${e.abn}_${e.name}`);
  if (new Set(ids).size !== ids.length) throw invalid('duplicate credential ids');
  const createdAt = new Date();
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<credentialStore xmlns="${CREDENTIAL_STORE_NS}">
  <salt>${randomBytes(20).toString('base64')}</salt>
  <credentials>
${entries.map((entry) => credentialXml(entry, password, createdAt)).join('')}  </credentials>
</credentialStore>
`;
}
