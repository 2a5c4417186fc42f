import type { Element } from '@xmldom/xmldom';
import type { TokenClaims } from './token-claims';
import { escapeXml } from '@usi/ws-security';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const TRUST = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512';
const CLAIM = 'http://vanguard.ebusiness.gov.au/2008/06/identity/claims/';

/** Attribute names; the abn and credentialtype claims are the ones the USI WSDL asks the STS for. */
const ATTR = {
  abn: `${CLAIM}abn`,
  credentialType: `${CLAIM}credentialtype`,
  firstParty: `${CLAIM}firstpartyabn`,
  ssid: `${CLAIM}ssid`,
  credentialId: `${CLAIM}credentialid`,
  fingerprint: `${CLAIM}fingerprint`,
} as const;

export function assertionXml(claims: TokenClaims, issueInstant: Date): string {
  const attrs: [string, string | undefined][] = [
    [ATTR.abn, claims.subjectAbn],
    [ATTR.credentialType, 'ABR_Device'],
    [ATTR.firstParty, claims.firstPartyAbn],
    [ATTR.ssid, claims.ssid],
    [ATTR.credentialId, claims.credentialId],
    [ATTR.fingerprint, claims.credentialFingerprint],
  ];
  const attributeXml = attrs
    .filter((a): a is [string, string] => a[1] !== undefined)
    .map(([name, value]) => `<saml:Attribute Name="${name}"><saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`)
    .join('');
  return (
    `<saml:Assertion xmlns:saml="${SAML}" xmlns:ds="${DS}" xmlns:trust="${TRUST}" ID="${escapeXml(claims.assertionId)}" ` +
    `IssueInstant="${issueInstant.toISOString()}" Version="2.0">` +
    `<saml:Issuer>${escapeXml(claims.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID>${escapeXml(claims.subjectAbn)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"><saml:SubjectConfirmationData>` +
    `<ds:KeyInfo><trust:BinarySecret>${claims.proofKey.toString('base64')}</trust:BinarySecret></ds:KeyInfo>` +
    `</saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${claims.notBefore.toISOString()}" NotOnOrAfter="${claims.notOnOrAfter.toISOString()}">` +
    `<saml:AudienceRestriction><saml:Audience>${escapeXml(claims.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AttributeStatement>${attributeXml}</saml:AttributeStatement>` +
    `</saml:Assertion>`
  );
}

/** Reads back what `assertionXml` wrote; `undefined` for anything else, which the caller treats as a bad token. */
export function readAssertion(root: Element): TokenClaims | undefined {
  if (root.namespaceURI !== SAML || root.localName !== 'Assertion') return undefined;
  const text = (ns: string, name: string): string | undefined => root.getElementsByTagNameNS(ns, name)[0]?.textContent ?? undefined;
  const attributes = new Map<string, string>();
  const attributeElements = root.getElementsByTagNameNS(SAML, 'Attribute');
  for (let i = 0; i < attributeElements.length; i++) {
    const el = attributeElements[i]!;
    attributes.set(el.getAttribute('Name') ?? '', el.getElementsByTagNameNS(SAML, 'AttributeValue')[0]?.textContent ?? '');
  }
  const conditions = root.getElementsByTagNameNS(SAML, 'Conditions')[0];
  const secret = text(TRUST, 'BinarySecret');
  const assertionId = root.getAttribute('ID');
  const issuer = text(SAML, 'Issuer');
  const audience = text(SAML, 'Audience');
  const subjectAbn = attributes.get(ATTR.abn);
  const firstPartyAbn = attributes.get(ATTR.firstParty);
  const credentialId = attributes.get(ATTR.credentialId);
  const credentialFingerprint = attributes.get(ATTR.fingerprint);
  const notBefore = new Date(conditions?.getAttribute('NotBefore') ?? '');
  const notOnOrAfter = new Date(conditions?.getAttribute('NotOnOrAfter') ?? '');
  if (!secret || !assertionId || !issuer || !audience || !subjectAbn || !firstPartyAbn || !credentialId || !credentialFingerprint) {
    return undefined;
  }
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notOnOrAfter.getTime())) return undefined;
  const ssid = attributes.get(ATTR.ssid);
  return {
    assertionId,
    issuer,
    subjectAbn,
    firstPartyAbn,
    ...(ssid !== undefined ? { ssid } : {}),
    credentialId,
    credentialFingerprint,
    audience,
    notBefore,
    notOnOrAfter,
    proofKey: Buffer.from(secret, 'base64'),
  };
}
