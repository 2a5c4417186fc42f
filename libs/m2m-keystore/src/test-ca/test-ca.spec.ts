import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { asn1FromDer } from '../crypto/forge-bytes';
import { keyMatchesCertificate } from '../crypto/key-match';
import { expectKeystoreError } from '../../../../test/support/keystore/expect-keystore-error';
import { createTestCa, TestCa } from './test-ca';

const ABN = '96312011219';
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

describe('test CA', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const ca = createTestCa({ commonName: 'Spec Root', now });
  const issued = ca.issueMachineCredential({ abn: ABN, name: 'SpecMachine' });
  const caCert = new X509Certificate(ca.certificateDer);
  const leaf = new X509Certificate(issued.certificateDer);

  it('is a self-signed RSA-2048 CA named as asked', () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toContain('CN=Spec Root');
    expect(caCert.checkIssued(caCert)).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    expect(caCert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(caCert.validFrom).getTime()).toBeLessThan(now.getTime());
    expect(new Date(caCert.validTo).getTime()).toBeGreaterThan(now.getTime() + 10 * YEAR_MS);
  });

  it('issues a leaf shaped like an ATO machine credential', () => {
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    const subject = forge.pki.certificateFromAsn1(asn1FromDer(issued.certificateDer)).subject.attributes;
    expect(subject.map((a) => [a.type, a.value])).toEqual([
      ['2.5.4.6', 'AU'],
      ['2.5.4.10', ABN],
      ['2.5.4.3', 'SpecMachine'],
      ['2.5.4.46', 'ABR'],
    ]);
    expect(leaf.keyUsage?.sort()).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
    const keyUsage = forge.pki.certificateFromAsn1(asn1FromDer(issued.certificateDer)).getExtension('keyUsage') as Record<
      string,
      unknown
    >;
    expect(keyUsage).toMatchObject({
      critical: true,
      digitalSignature: true,
      nonRepudiation: true,
      keyEncipherment: true,
      dataEncipherment: true,
      keyCertSign: false,
    });
    expect(issued.chain).toEqual([issued.certificateDer, ca.certificateDer]);
    expect(keyMatchesCertificate(issued.privateKey, issued.certificateDer)).toBe(true);
    expect(issued.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('defaults validity to two years from its clock and honours explicit dates', () => {
    expect(new Date(leaf.validFrom)).toEqual(now);
    expect(new Date(leaf.validTo)).toEqual(new Date(now.getTime() + 2 * YEAR_MS));
    const notBefore = new Date('2024-01-01T00:00:00Z');
    const notAfter = new Date('2024-06-01T00:00:00Z');
    const custom = new X509Certificate(ca.issueMachineCredential({ abn: ABN, name: 'Old', notBefore, notAfter }).certificateDer);
    expect([new Date(custom.validFrom), new Date(custom.validTo)]).toEqual([notBefore, notAfter]);
  });

  it('gives every leaf its own random serial and key', () => {
    const other = ca.issueMachineCredential({ abn: ABN, name: 'SpecMachine' });
    expect(new X509Certificate(other.certificateDer).serialNumber).not.toBe(leaf.serialNumber);
    expect(keyMatchesCertificate(other.privateKey, issued.certificateDer)).toBe(false);
  });

  it('refuses invalid requests', () => {
    expectKeystoreError(() => ca.issueMachineCredential({ abn: '123', name: 'x' }), 'keystore.invalid_entry');
    expectKeystoreError(() => ca.issueMachineCredential({ abn: ABN, name: '  ' }), 'keystore.invalid_entry');
    expectKeystoreError(
      () => ca.issueMachineCredential({ abn: ABN, name: 'x', notBefore: now, notAfter: now }),
      'keystore.invalid_entry',
    );
  });

  it('survives a PEM round trip and keeps issuing verifiable leaves', () => {
    const restored = TestCa.fromPem(ca.toPem());
    expect(restored.certificateDer).toEqual(ca.certificateDer);
    const again = new X509Certificate(restored.issueMachineCredential({ abn: ABN, name: 'Later' }).certificateDer);
    expect(again.verify(caCert.publicKey)).toBe(true);
    expect(again.checkIssued(caCert)).toBe(true);
  });

  it('refuses PEM that is incomplete or pairs a certificate with a foreign key', () => {
    expectKeystoreError(() => TestCa.fromPem('nothing here'), 'keystore.invalid_entry');
    const certPem = new X509Certificate(ca.certificateDer).toString();
    expectKeystoreError(() => TestCa.fromPem(certPem), 'keystore.invalid_entry');
    const foreignKey = issued.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expectKeystoreError(() => TestCa.fromPem(certPem + foreignKey), 'keystore.key_mismatch');
  });
});
