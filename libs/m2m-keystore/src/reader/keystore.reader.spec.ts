import { sign, verify, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { expiredKeystore, publicKeystore } from '../../../../test/support/public-keystores';
import { expectKeystoreError } from '../../../../test/support/keystore/expect-keystore-error';
import { credentialBlock, fixtureField } from '../../../../test/support/keystore/keystore-xml-text';
import { listCredentials, loadCredential } from './keystore.reader';

const PASSWORD = 'Password1!';
const MACHINE = 'ABRD:27809366375_USIMachine';
const INGLETON = 'ABRD:11000002568_INGLETON153';

describe('keystore reader on the public 3PT keystores', () => {
  const xml = publicKeystore().toString('utf8');
  const expiredXml = expiredKeystore().toString('utf8');
  const duringValidity = new Date('2026-01-01T00:00:00Z');

  it('lists both credentials with the facts the file declares', () => {
    const summaries = listCredentials(xml, { now: duringValidity });
    expect(summaries.map((s) => s.id)).toEqual([MACHINE, INGLETON]);
    for (const s of summaries) {
      expect(s.abn).toBe(fixtureField(xml, s.id, 'abn'));
      expect(s.legalName).toBe(fixtureField(xml, s.id, 'legalName'));
      expect(s.serialNumber).toBe(fixtureField(xml, s.id, 'serialNumber'));
      expect(s.sha1Fingerprint).toBe(fixtureField(xml, s.id, 'sha1fingerprint'));
      expect(s.expired).toBe(false);
      expect(s.chain).toHaveLength(3);
    }
  });

  it('takes validity from the leaf certificate (the file labels UTC wall-clock times +10:00)', () => {
    for (const s of listCredentials(xml)) {
      const cert = new X509Certificate(s.chain[0]);
      expect(s.notBefore).toEqual(new Date(cert.validFrom));
      expect(s.notAfter).toEqual(new Date(cert.validTo));
      const declared = fixtureField(xml, s.id, 'notAfter').replace('+10:00', 'Z');
      expect(s.notAfter).toEqual(new Date(declared));
      expect(s.notAfter.toISOString().slice(0, 10)).toBe('2027-07-25');
    }
  });

  it('puts the leaf first: its subject carries the ABN, and it is issued by the next certificate', () => {
    for (const s of listCredentials(xml)) {
      const [leaf, subCa] = s.chain.map((der) => new X509Certificate(der));
      expect(leaf.subject).toContain(`O=${s.abn}`);
      expect(leaf.checkIssued(subCa)).toBe(true);
    }
  });

  it.each([
    ['alias', { alias: MACHINE }, MACHINE],
    ['alias', { alias: INGLETON }, INGLETON],
    ['ABN', { abn: '11000002568' }, INGLETON],
    ['alias and ABN', { alias: MACHINE, abn: '27809366375' }, MACHINE],
  ])('loads a credential by %s whose key signs what the certificate verifies', (_, selector, id) => {
    const credential = loadCredential(xml, { ...selector, password: PASSWORD, now: duringValidity });
    expect(credential.id).toBe(id);
    expect(credential.certificateDer).toEqual(credential.chain[0]);
    expect(credential.privateKey.type).toBe('private');
    const data = Buffer.from(`signed by ${id}`);
    const signature = sign('sha256', data, credential.privateKey);
    expect(verify('sha256', data, new X509Certificate(credential.certificateDer).publicKey, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), new X509Certificate(credential.certificateDer).publicKey, signature)).toBe(
      false,
    );
  });

  it('reports credential_not_found with the available ids, and refuses to guess between two', () => {
    const unknown = expectKeystoreError(
      () => loadCredential(xml, { alias: 'ABRD:1_nobody', password: PASSWORD }),
      'keystore.credential_not_found',
    );
    expect(unknown.details?.available).toEqual([MACHINE, INGLETON]);
    expectKeystoreError(() => loadCredential(xml, { abn: '96312011219', password: PASSWORD }), 'keystore.credential_not_found');
    expectKeystoreError(() => loadCredential(xml, { password: PASSWORD }), 'keystore.credential_not_found');
    expectKeystoreError(
      () => loadCredential(xml, { alias: MACHINE, abn: '11000002568', password: PASSWORD }),
      'keystore.credential_not_found',
    );
  });

  it('takes the only credential when no selector is given', () => {
    const single = xml.replace(credentialBlock(xml, INGLETON), '');
    expect(loadCredential(single, { password: PASSWORD, now: duringValidity }).id).toBe(MACHINE);
  });

  it('rejects the expired keystore, which loads when `now` lies inside its validity', () => {
    expect(listCredentials(expiredXml).every((s) => s.expired)).toBe(true);
    const error = expectKeystoreError(() => loadCredential(expiredXml, { alias: MACHINE, password: PASSWORD }), 'keystore.expired');
    expect(error.details?.notAfter).toBe('2024-09-12T06:13:02.000Z');
    const past = new Date('2023-01-01T00:00:00Z');
    expect(listCredentials(expiredXml, { now: past }).some((s) => s.expired)).toBe(false);
    for (const id of [MACHINE, INGLETON]) {
      expect(loadCredential(expiredXml, { alias: id, password: PASSWORD, now: past }).id).toBe(id);
    }
  });

  it('rejects a credential before its notBefore', () => {
    expectKeystoreError(
      () => loadCredential(xml, { alias: MACHINE, password: PASSWORD, now: new Date('2025-07-25T00:07:14Z') }),
      'keystore.not_yet_valid',
    );
  });

  it('reports every wrong password as wrong_password, never anything else', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 24 }).filter((p) => p !== PASSWORD),
        (password) => {
          expectKeystoreError(
            () => loadCredential(xml, { alias: INGLETON, password, now: duringValidity }),
            'keystore.wrong_password',
            password.length >= 8 ? [password] : [],
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('detects a private key that belongs to another credential', () => {
    const machine = credentialBlock(xml, MACHINE);
    const ingleton = credentialBlock(xml, INGLETON);
    const salt = (block: string) => /credentialSalt="([^"]*)"/.exec(block)![1];
    const key = (block: string) => fixtureField(block, /id="([^"]*)"/.exec(block)![1], 'protectedPrivateKey');
    const swapped = machine
      .replace(salt(machine), salt(ingleton))
      .replace(key(machine), key(ingleton));
    const tampered = xml.replace(machine, swapped);
    expectKeystoreError(
      () => loadCredential(tampered, { alias: MACHINE, password: PASSWORD, now: duringValidity }),
      'keystore.key_mismatch',
    );
    expect(loadCredential(tampered, { alias: INGLETON, password: PASSWORD, now: duringValidity }).id).toBe(INGLETON);
  });
});
