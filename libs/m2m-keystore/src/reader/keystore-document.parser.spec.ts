import forge from 'node-forge';
import { publicKeystore } from '../../../../test/support/public-keystores';
import { asn1FromDer, asn1ToDer } from '../crypto/forge-bytes';
import { expectKeystoreError } from '../../../../test/support/keystore/expect-keystore-error';
import { credentialBlock, fixtureField } from '../../../../test/support/keystore/keystore-xml-text';
import { CREDENTIAL_STORE_NS, MAX_KEYSTORE_BYTES } from './keystore-document.parser';
import { listCredentials, loadCredential } from './keystore.reader';

const PASSWORD = 'Password1!';
const MACHINE = 'ABRD:27809366375_USIMachine';
const now = new Date('2026-01-01T00:00:00Z');

describe('keystore document parsing', () => {
  const xml = publicKeystore().toString('utf8');
  const loadMachine = (text: string | Buffer) => loadCredential(text, { alias: MACHINE, password: PASSWORD, now });

  describe('accepts layout variants', () => {
    it('reads a Buffer, with or without a UTF-8 BOM', () => {
      expect(loadMachine(Buffer.from(xml)).id).toBe(MACHINE);
      expect(loadMachine(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])).id).toBe(MACHINE);
    });

    it.each([
      ['standalone="yes"', xml.replace('standalone="no"', 'standalone="yes"')],
      ['no standalone', xml.replace(' standalone="no"', '')],
      ['no XML declaration', xml.replace(/^<\?xml[^>]*\?>\s*/, '')],
    ])('%s', (_, variant) => {
      expect(variant).not.toBe(xml);
      expect(loadMachine(variant).id).toBe(MACHINE);
    });

    it('ignores attribute order and whitespace, including line-wrapped base64', () => {
      const reordered = xml.replace(/<credential ([^>]*)>/g, (_, attrs: string) => {
        const list = attrs.match(/\w+="[^"]*"/g) ?? [];
        return `<credential\n   ${list.reverse().join('\n   ')} >`;
      });
      const wrapped = reordered
        .replace(/>\s+</g, '><')
        .replace(/(<publicCertificate>)([^<]*)/g, (_, tag: string, b64: string) => `${tag}\n${b64.replace(/(.{64})/g, '$1\n')}`);
      expect(wrapped).not.toContain('credentialSalt="cIMiMsRxoJ3czrGGtA6qUggSSrY=" credentialType');
      const [machine] = listCredentials(wrapped, { now });
      expect(machine.sha1Fingerprint).toBe(fixtureField(xml, MACHINE, 'sha1fingerprint'));
      expect(loadMachine(wrapped).id).toBe(MACHINE);
    });

    it('is namespace-aware: a prefixed default namespace reads the same', () => {
      const prefixed = xml
        .replace(`xmlns="${CREDENTIAL_STORE_NS}"`, `xmlns:ks="${CREDENTIAL_STORE_NS}"`)
        .replace(/<(\/?)(\w+)([\s>/])/g, (m, slash: string, name: string, tail: string) =>
          name === 'xml' ? m : `<${slash}ks:${name}${tail}`,
        );
      expect(prefixed).toContain('<ks:credentialStore');
      expect(loadMachine(prefixed).id).toBe(MACHINE);
    });

    it('decrypts a key whose PBE salt is 8 bytes (the 2020 stores)', () => {
      const key = loadMachine(xml).privateKey;
      const info = asn1FromDer(key.export({ format: 'der', type: 'pkcs8' }));
      const encrypted = forge.pki.encryptPrivateKeyInfo(info, PASSWORD, { algorithm: '3des', saltSize: 8, count: 1024 });
      const salt = Buffer.from((encrypted.value as any)[0].value[1].value[0].value, 'binary');
      expect(salt).toHaveLength(8);
      const block = credentialBlock(xml, MACHINE);
      const rewritten = block
        .replace(/credentialSalt="[^"]*"/, `credentialSalt="${salt.toString('base64')}"`)
        .replace(fixtureField(xml, MACHINE, 'protectedPrivateKey'), asn1ToDer(encrypted).toString('base64'));
      const loaded = loadMachine(xml.replace(block, rewritten));
      expect(loaded.privateKey.export({ format: 'der', type: 'pkcs8' })).toEqual(key.export({ format: 'der', type: 'pkcs8' }));
    });
  });

  describe('refuses malformed input as keystore.malformed', () => {
    const block = () => credentialBlock(xml, MACHINE);
    const withoutElement = (name: string) => xml.replace(block(), block().replace(new RegExp(`<${name}>[^<]*</${name}>`), ''));
    const withElement = (name: string, text: string) =>
      xml.replace(block(), block().replace(new RegExp(`<${name}>[^<]*</${name}>`), `<${name}>${text}</${name}>`));

    it.each([
      ['empty input', ''],
      ['non-XML', 'not a keystore'],
      ['JSON', '{"credentialStore":{}}'],
      ['truncated XML', xml.slice(0, xml.length / 2)],
      ['DOCTYPE with an entity', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>${xml.replace(/^<\?xml[^>]*\?>/, '')}`],
      ['external entity', `<!DOCTYPE credentialStore SYSTEM "file:///etc/passwd">${xml.replace(/^<\?xml[^>]*\?>/, '')}`],
      ['wrong namespace', xml.replace(CREDENTIAL_STORE_NS, 'http://example.com/other')],
      ['no namespace', xml.replace(` xmlns="${CREDENTIAL_STORE_NS}"`, '')],
      ['other root element', `<keyStore xmlns="${CREDENTIAL_STORE_NS}"/>`],
      ['no credentials', `<credentialStore xmlns="${CREDENTIAL_STORE_NS}"><salt>AA==</salt><credentials/></credentialStore>`],
      ['duplicate ids', xml.replace('ABRD:11000002568_INGLETON153', MACHINE)],
      ['missing id attribute', xml.replace(`id="${MACHINE}"`, '')],
      ['missing <abn>', withoutElement('abn')],
      ['missing <publicCertificate>', withoutElement('publicCertificate')],
      ['garbage base64 certificate', withElement('publicCertificate', '!!not*base64!!')],
      ['a stray character in base64', withElement('publicCertificate', `*${fixtureField(xml, MACHINE, 'publicCertificate')}`)],
      ['base64 that is not PKCS#7', withElement('publicCertificate', Buffer.from('hello world!').toString('base64'))],
      ['a certificate where PKCS#7 is expected', withElement('publicCertificate', listCredentials(xml)[0].chain[1].toString('base64'))],
    ])('%s', (_, input) => {
      expectKeystoreError(() => listCredentials(input), 'keystore.malformed');
      expectKeystoreError(() => loadMachine(input), 'keystore.malformed');
    });

    it.each([
      ['missing <protectedPrivateKey>', withoutElement('protectedPrivateKey')],
      ['garbage base64 key', withElement('protectedPrivateKey', '%%%%')],
      ['base64 that is not PKCS#8', withElement('protectedPrivateKey', Buffer.from('not a key').toString('base64'))],
    ])('%s (on load; listing needs no key)', (_, input) => {
      expect(listCredentials(input)).toHaveLength(2);
      expectKeystoreError(() => loadMachine(input), 'keystore.malformed');
    });

    it('refuses input above the size cap before parsing it', () => {
      const padding = ' '.repeat(MAX_KEYSTORE_BYTES);
      const huge = xml.replace('<credentials>', `<credentials>${padding}`);
      expectKeystoreError(() => listCredentials(huge), 'keystore.malformed');
      expectKeystoreError(() => listCredentials(Buffer.from(huge)), 'keystore.malformed');
      const justUnder = xml.replace('<credentials>', `<credentials>${' '.repeat(MAX_KEYSTORE_BYTES - xml.length - 64)}`);
      expect(listCredentials(justUnder)).toHaveLength(2);
    });
  });
});
