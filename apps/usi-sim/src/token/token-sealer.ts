import type { Element } from '@xmldom/xmldom';
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
  type X509Certificate,
} from 'node:crypto';
import { escapeXml, parseXml } from '@usi/ws-security';
import { SIM_ERROR, SimError } from '../errors/sim-error';
import { assertionXml, readAssertion } from './assertion-xml';
import type { TokenClaims } from './token-claims';

const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** Tokens kept opened; a client holds one per (credential, service, ActAs party) until it expires. */
const OPENED_TOKENS = 1024;

export interface ServiceIdentity {
  privateKey: KeyObject;
  certificate: X509Certificate;
}

/**
 * Encrypts assertions for the simulator's USI service certificate the way the ATO STS does (xmlenc AES-256-CBC,
 * content key wrapped with RSA-OAEP/MGF1-SHA1), and opens them again on the USI side.
 */
export class TokenSealer {
  /**
   * A client sends the same token with every call until it expires, and opening it (RSA-OAEP, AES, an XML parse) cost
   * more than the rest of a VerifyUSI here. The same ciphertext always opens to the same claims, and the USI service
   * still checks them against the clock, the audience and the message signature on every call.
   */
  private readonly opened = new Map<string, Readonly<TokenClaims>>();

  constructor(private readonly service: ServiceIdentity) {}

  /** `saml:EncryptedAssertion` wrapping `xenc:EncryptedData`, as an RSTR carries it. */
  seal(claims: TokenClaims, issueInstant: Date): string {
    const contentKey = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', contentKey, iv);
    const cipherText = Buffer.concat([iv, cipher.update(assertionXml(claims, issueInstant), 'utf8'), cipher.final()]);
    const wrappedKey = publicEncrypt(
      { key: this.service.certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      contentKey,
    );
    const cert = this.service.certificate;
    const serial = BigInt(`0x${cert.serialNumber}`).toString(10);
    const suffix = randomBytes(8).toString('hex');
    return (
      `<saml:EncryptedAssertion xmlns:saml="${SAML}">` +
      `<xenc:EncryptedData xmlns:xenc="${XENC}" Id="ED-${suffix}" Type="${XENC}Element">` +
      `<xenc:EncryptionMethod Algorithm="${XENC}aes256-cbc"/>` +
      `<ds:KeyInfo xmlns:ds="${DS}"><xenc:EncryptedKey Id="EK-${suffix}">` +
      `<xenc:EncryptionMethod Algorithm="${XENC}rsa-oaep-mgf1p"><ds:DigestMethod Algorithm="${DS}sha1"/></xenc:EncryptionMethod>` +
      `<ds:KeyInfo><wsse:SecurityTokenReference xmlns:wsse="${WSSE}"><ds:X509Data><ds:X509IssuerSerial>` +
      `<ds:X509IssuerName>${escapeXml(cert.issuer.split('\n').reverse().join(','))}</ds:X509IssuerName>` +
      `<ds:X509SerialNumber>${serial}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></wsse:SecurityTokenReference></ds:KeyInfo>` +
      `<xenc:CipherData><xenc:CipherValue>${wrappedKey.toString('base64')}</xenc:CipherValue></xenc:CipherData>` +
      `</xenc:EncryptedKey></ds:KeyInfo>` +
      `<xenc:CipherData><xenc:CipherValue>${cipherText.toString('base64')}</xenc:CipherValue></xenc:CipherData>` +
      `</xenc:EncryptedData></saml:EncryptedAssertion>`
    );
  }

  /** Accepts the bare `xenc:EncryptedData` (what the official samples send) or its `saml:EncryptedAssertion` wrapper. */
  open(token: Element): Readonly<TokenClaims> {
    const encryptedData =
      token.namespaceURI === XENC && token.localName === 'EncryptedData' ? token : token.getElementsByTagNameNS(XENC, 'EncryptedData')[0];
    const encryptedKey = encryptedData?.getElementsByTagNameNS(XENC, 'EncryptedKey')[0];
    const wrappedKey = encryptedKey?.getElementsByTagNameNS(XENC, 'CipherValue')[0]?.textContent;
    const body = childCipherValue(encryptedData);
    if (!wrappedKey || !body) throw new SimError(SIM_ERROR.badToken, 'security token is not an EncryptedData this service can read');
    const ciphertext = createHash('sha256').update(wrappedKey).update('\0').update(body).digest('base64');
    const known = this.opened.get(ciphertext);
    if (known) return known;
    const claims = this.decrypt(wrappedKey, body);
    if (this.opened.size >= OPENED_TOKENS) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(ciphertext, claims);
    return claims;
  }

  private decrypt(wrappedKey: string, body: string): Readonly<TokenClaims> {
    let plain: string;
    try {
      const contentKey = privateDecrypt(
        { key: this.service.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
        Buffer.from(wrappedKey, 'base64'),
      );
      const bytes = Buffer.from(body, 'base64');
      const decipher = createDecipheriv('aes-256-cbc', contentKey, bytes.subarray(0, 16));
      plain = Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
    } catch {
      throw new SimError(SIM_ERROR.badToken, 'security token does not decrypt with the service key');
    }
    let claims: TokenClaims | undefined;
    try {
      claims = readAssertion(parseXml(plain).documentElement as Element);
    } catch {
      claims = undefined;
    }
    if (!claims) throw new SimError(SIM_ERROR.badToken, 'security token does not hold a readable assertion');
    return Object.freeze(claims);
  }
}

function childCipherValue(encryptedData: Element | undefined): string | undefined {
  if (!encryptedData) return undefined;
  for (let n = encryptedData.firstChild; n; n = n.nextSibling) {
    const el = n as Element;
    if (el.namespaceURI === XENC && el.localName === 'CipherData') {
      return el.getElementsByTagNameNS(XENC, 'CipherValue')[0]?.textContent ?? undefined;
    }
  }
  return undefined;
}
