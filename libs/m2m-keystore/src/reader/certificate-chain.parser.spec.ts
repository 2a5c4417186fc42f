import { createHash, X509Certificate } from 'node:crypto';
import { createTestCa } from '../test-ca/test-ca';
import { encodeCertificateBundle } from '../writer/certificate-bundle.encoder';
import { parseCertificateChain } from './certificate-chain.parser';

describe('certificate chain parsing', () => {
  const ca = createTestCa();
  const { certificateDer: leaf } = ca.issueMachineCredential({ abn: '27809366375', name: 'ChainSpec' });
  const leafSerial = BigInt(`0x${new X509Certificate(leaf).serialNumber}`).toString(10);
  const caSerial = BigInt(`0x${new X509Certificate(ca.certificateDer).serialNumber}`).toString(10);
  const bundle = (chain: Buffer[]) => encodeCertificateBundle(chain).toString('base64');

  it('picks the certificate whose serial is declared, wherever it sits, and puts it first', () => {
    const parsed = parseCertificateChain('id', bundle([ca.certificateDer, leaf]), leafSerial);
    expect(parsed.chain).toEqual([leaf, ca.certificateDer]);
    expect(parsed.serialNumber).toBe(leafSerial);
    expect(parsed.sha1Fingerprint).toBe(createHash('sha1').update(leaf).digest('base64'));
    expect(parsed.notAfter).toEqual(new Date(new X509Certificate(leaf).validTo));
  });

  it('follows the declared serial even when it names the CA', () => {
    expect(parseCertificateChain('id', bundle([leaf, ca.certificateDer]), caSerial).chain[0]).toEqual(ca.certificateDer);
  });

  it.each([
    ['no serial', ''],
    ['a serial nobody has', '12345'],
    ['a non-decimal serial', '0x1F'],
  ])('falls back to the first certificate given %s', (_, serial) => {
    const parsed = parseCertificateChain('id', bundle([ca.certificateDer, leaf]), serial);
    expect(parsed.chain).toEqual([ca.certificateDer, leaf]);
    expect(parsed.serialNumber).toBe(caSerial);
  });
});
