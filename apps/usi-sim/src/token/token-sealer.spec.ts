import { randomBytes } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { parseXml } from '@usi/ws-security';
import { createServiceIdentityPem, serviceIdentityFromPem } from '../state/service-identity';
import type { TokenClaims } from './token-claims';
import { TokenSealer } from './token-sealer';

const NOW = new Date('2026-11-29T10:00:00Z');

function claims(assertionId: string): TokenClaims {
  return {
    assertionId,
    issuer: 'usi-sim',
    subjectAbn: '51824753556',
    firstPartyAbn: '53004085616',
    ssid: '1234567890',
    credentialId: 'cred-1',
    credentialFingerprint: 'ab'.repeat(32),
    audience: 'https://usi.example/',
    notBefore: NOW,
    notOnOrAfter: new Date(NOW.getTime() + 30 * 60_000),
    proofKey: randomBytes(32),
  };
}

const element = (xml: string) => parseXml(xml).documentElement as unknown as Element;

describe('TokenSealer.open', () => {
  const identity = serviceIdentityFromPem(createServiceIdentityPem(NOW));
  // Opening a token is the only use of the service's private key, so its reads count the decryptions.
  let decryptions = 0;
  const sealer = new TokenSealer({
    certificate: identity.certificate,
    get privateKey() {
      decryptions += 1;
      return identity.privateKey;
    },
  });

  beforeEach(() => {
    decryptions = 0;
  });

  it('opens a token sent again without decrypting it again, to the same claims', () => {
    const sealed = sealer.seal(claims('_a1'), NOW);
    const first = sealer.open(element(sealed));
    const again = sealer.open(element(sealed));
    expect(first).toMatchObject({ assertionId: '_a1', subjectAbn: '51824753556', ssid: '1234567890' });
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
    expect(decryptions).toBe(1);
  });

  it('still refuses a token whose ciphertext differs from one it has opened', () => {
    const sealed = sealer.seal(claims('_a2'), NOW);
    sealer.open(element(sealed));
    const bodyCipher = /<xenc:CipherValue>([^<]+)<\/xenc:CipherValue><\/xenc:CipherData><\/xenc:EncryptedData>/.exec(sealed)![1];
    const flipped = Buffer.from(bodyCipher, 'base64');
    flipped[flipped.length - 1] ^= 1;
    const tampered = sealed.replace(bodyCipher, flipped.toString('base64'));
    expect(() => sealer.open(element(tampered))).toThrow(/does not decrypt|readable assertion/);
  });

  it('keeps at most 1024 tokens, forgetting the oldest first', () => {
    const oldest = sealer.seal(claims('_oldest'), NOW);
    sealer.open(element(oldest));
    for (let i = 0; i < 1024; i++) sealer.open(element(sealer.seal(claims(`_t${i}`), NOW)));
    decryptions = 0;
    sealer.open(element(oldest));
    expect(decryptions).toBe(1);
  });
});
