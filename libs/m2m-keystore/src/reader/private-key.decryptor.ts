import { createPrivateKey, KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { decodeBase64Strict } from '../crypto/base64';
import { asn1FromDer, asn1ToDer } from '../crypto/forge-bytes';
import { KeystoreError } from '../keystore.error';

function parseEncryptedPrivateKeyInfo(id: string, protectedPrivateKey: string): forge.asn1.Asn1 {
  const malformed = (reason: string) =>
    new KeystoreError('keystore.malformed', `Credential ${id}: ${reason}`, { id, reason });
  if (!protectedPrivateKey) throw malformed('no <protectedPrivateKey>');
  const bytes = decodeBase64Strict(protectedPrivateKey);
  if (!bytes) throw malformed('protectedPrivateKey is not base64');
  try {
    const node = asn1FromDer(bytes);
    // Structure check only (EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }), so that
    // a corrupt file is reported as such and not as a wrong password.
    const [algorithm, data] = node.value as forge.asn1.Asn1[];
    if (
      !Array.isArray(algorithm?.value) ||
      algorithm.type !== forge.asn1.Type.SEQUENCE ||
      data?.type !== forge.asn1.Type.OCTETSTRING
    ) {
      throw new Error('shape');
    }
    return node;
  } catch {
    throw malformed('protectedPrivateKey is not a PKCS#8 EncryptedPrivateKeyInfo');
  }
}

/**
 * Decrypts `protectedPrivateKey` (PKCS#8, pbeWithSHAAnd3-KeyTripleDES-CBC) into a KeyObject. forge returns null for
 * most wrong passwords and, when the padding check passes by chance, may throw or yield garbage: all of these mean
 * "wrong password".
 */
export function decryptPrivateKey(id: string, protectedPrivateKey: string, password: string): KeyObject {
  const encrypted = parseEncryptedPrivateKeyInfo(id, protectedPrivateKey);
  let der: Buffer | undefined;
  try {
    const privateKeyInfo = forge.pki.decryptPrivateKeyInfo(encrypted, password);
    if (!privateKeyInfo) throw new Error('no key');
    der = asn1ToDer(privateKeyInfo);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new KeystoreError('keystore.wrong_password', `Credential ${id}: the password does not decrypt the private key`, {
      id,
    });
  } finally {
    der?.fill(0);
  }
}
