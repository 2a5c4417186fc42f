import { execFileSync } from 'node:child_process';
import { sign, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { asn1FromDer } from '../crypto/forge-bytes';
import { listCredentials, loadCredential } from '../reader/keystore.reader';
import { createTestCa } from '../test-ca/test-ca';
import { expectKeystoreError } from '../../../../test/support/keystore/expect-keystore-error';
import { credentialBlock, fixtureField } from '../../../../test/support/keystore/keystore-xml-text';
import { writeKeystore } from './keystore.writer';

const PASSWORD = 'Spec-Pässwörd 7';
const MACHINE = { abn: '27809366375', name: 'SpecMachine' };
const CLOUD = { abn: '11000002568', name: 'Spec & Cloud' };

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('keystore writer', () => {
  const ca = createTestCa();
  const machine = ca.issueMachineCredential(MACHINE);
  const cloud = ca.issueMachineCredential(CLOUD);
  const xml = writeKeystore(
    [
      { ...MACHINE, chain: machine.chain, privateKey: machine.privateKey },
      { ...CLOUD, chain: cloud.chain, privateKey: cloud.privateKey },
    ],
    PASSWORD,
  );
  const machineId = `ABRD:${MACHINE.abn}_${MACHINE.name}`;
  const cloudId = `ABRD:${CLOUD.abn}_${CLOUD.name}`;

  it('writes what the reader lists back', () => {
    const summaries = listCredentials(xml);
    expect(summaries.map((s) => [s.id, s.abn, s.legalName])).toEqual([
      [machineId, MACHINE.abn, MACHINE.name],
      [cloudId, CLOUD.abn, CLOUD.name],
    ]);
    const [first] = summaries;
    const leaf = new X509Certificate(machine.certificateDer);
    expect(first.chain).toEqual(machine.chain);
    expect(first.serialNumber).toBe(BigInt(`0x${leaf.serialNumber}`).toString(10));
    expect(first.notAfter).toEqual(new Date(leaf.validTo));
    expect(first.expired).toBe(false);
  });

  it('round-trips the private key under the password and refuses any other', () => {
    const loaded = loadCredential(xml, { alias: cloudId, password: PASSWORD });
    expect(loaded.privateKey.export({ format: 'der', type: 'pkcs8' })).toEqual(
      cloud.privateKey.export({ format: 'der', type: 'pkcs8' }),
    );
    const signature = sign('sha256', Buffer.from('x'), loaded.privateKey);
    expect(verify('sha256', Buffer.from('x'), new X509Certificate(loaded.certificateDer).publicKey, signature)).toBe(true);
    expectKeystoreError(() => loadCredential(xml, { alias: cloudId, password: 'Password1!' }), 'keystore.wrong_password', [
      PASSWORD,
    ]);
    expectKeystoreError(() => loadCredential(xml, { abn: MACHINE.abn, password: PASSWORD.toLowerCase() }), 'keystore.wrong_password');
  });

  it('follows the ATO layout: credential attributes, salts, fingerprint and PKCS#12 PBE parameters', () => {
    const block = credentialBlock(xml, machineId);
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(block)?.[1];
    expect(attr('credentialType')).toBe('D');
    expect(Buffer.from(attr('integrityValue')!, 'base64')).toHaveLength(20);
    expect(Buffer.from(/<salt>([^<]*)<\/salt>/.exec(xml)![1], 'base64')).toHaveLength(20);
    expect(fixtureField(xml, machineId, 'sha1fingerprint')).toBe(listCredentials(xml)[0].sha1Fingerprint);
    expect(new Date(fixtureField(xml, machineId, 'notAfter'))).toEqual(listCredentials(xml)[0].notAfter);

    const epki = asn1FromDer(Buffer.from(fixtureField(xml, machineId, 'protectedPrivateKey'), 'base64'));
    const [algorithm] = epki.value as forge.asn1.Asn1[];
    const [oid, params] = algorithm.value as forge.asn1.Asn1[];
    const [salt, iterations] = params.value as forge.asn1.Asn1[];
    expect(forge.asn1.derToOid(oid.value as string)).toBe('1.2.840.113549.1.12.1.3');
    expect(forge.asn1.derToInteger(iterations.value as string)).toBe(1024);
    expect(Buffer.from(salt.value as string, 'binary')).toEqual(Buffer.from(attr('credentialSalt')!, 'base64'));
    expect(attr('credentialSalt')).not.toBe(/credentialSalt="([^"]*)"/.exec(credentialBlock(xml, cloudId.replace("&", "&amp;")))![1]);
  });

  it('escapes names in XML', () => {
    expect(xml).toContain('<name1>Spec &amp; Cloud</name1>');
    expect(xml).toContain('id="ABRD:11000002568_Spec &amp; Cloud"');
  });

  (hasOpenssl() ? it : it.skip)('produces a key OpenSSL decrypts with the password alone', () => {
    const der = Buffer.from(fixtureField(xml, machineId, 'protectedPrivateKey'), 'base64');
    const decrypted = execFileSync('openssl', ['pkcs8', '-inform', 'DER', '-outform', 'DER', '-passin', 'env:KS_PASSWORD'], {
      input: der,
      env: { ...process.env, KS_PASSWORD: PASSWORD },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Without -topk8 OpenSSL writes the decrypted key as PKCS#1.
    expect(decrypted).toEqual(machine.privateKey.export({ format: 'der', type: 'pkcs1' }));
    expect(() =>
      execFileSync('openssl', ['pkcs8', '-inform', 'DER', '-outform', 'DER', '-passin', 'pass:wrong'], {
        input: der,
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    ).toThrow();
  });

  (hasOpenssl() ? it : it.skip)('produces a certificate bundle OpenSSL reads as PKCS#7', () => {
    const p7 = Buffer.from(fixtureField(xml, machineId, 'publicCertificate'), 'base64');
    const text = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], { input: p7 }).toString();
    expect(text.match(/subject=/g)).toHaveLength(2);
    expect(text).toContain(MACHINE.abn);
  });

  it('refuses entries it cannot write faithfully', () => {
    const entry = { ...MACHINE, chain: machine.chain, privateKey: machine.privateKey };
    expectKeystoreError(() => writeKeystore([], PASSWORD), 'keystore.invalid_entry');
    expectKeystoreError(() => writeKeystore([entry], ''), 'keystore.invalid_entry');
    expectKeystoreError(() => writeKeystore([{ ...entry, abn: '12 345' }], PASSWORD), 'keystore.invalid_entry');
    expectKeystoreError(() => writeKeystore([{ ...entry, chain: [] }], PASSWORD), 'keystore.invalid_entry');
    expectKeystoreError(() => writeKeystore([{ ...entry, chain: [Buffer.from('junk')] }], PASSWORD), 'keystore.invalid_entry');
    expectKeystoreError(() => writeKeystore([entry, entry], PASSWORD), 'keystore.invalid_entry');
    expectKeystoreError(() => writeKeystore([{ ...entry, privateKey: cloud.privateKey }], PASSWORD), 'keystore.key_mismatch');
  });
});
