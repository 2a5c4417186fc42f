import { binarySecurityTokenXml, timestampXml } from '../soap/security-header.builder';
import { soapEnvelope } from '../soap/soap-envelope.builder';
import { NS } from '../xml/namespaces';
import { signHmac } from '../signature/sign-hmac';
import { signX509 } from '../signature/sign-x509';
import type { TestCredential } from './self-signed-certificate';

export const STS_URL = 'https://softwareauthorisations.evte.ato.gov.au/R3.0/S007v1.3/service.svc';
export const USI_URL = 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc';
export const SAML_STR_XML =
  `<o:SecurityTokenReference xmlns:k="${NS.wsse11}" k:TokenType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0">` +
  '<o:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID">_a1b2c3</o:KeyIdentifier>' +
  '</o:SecurityTokenReference>';

/** An RST shaped like the official template (Timestamp `_0`, To `_1`, BST), RSA-SHA256 signed. */
export function signedStsRequest(credential: TestCredential, now = new Date()): string {
  const xml = soapEnvelope({
    action: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue',
    to: STS_URL,
    toId: '_1',
    securityXml: timestampXml(now) + binarySecurityTokenXml(credential.certificateDer, 'uuid-bst-1'),
    bodyXml:
      '<trust:RequestSecurityToken><wsp:AppliesTo><a:EndpointReference><a:Address>' +
      `${USI_URL}</a:Address></a:EndpointReference></wsp:AppliesTo>` +
      '<trust:KeyType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/SymmetricKey</trust:KeyType>' +
      '</trust:RequestSecurityToken>',
    extraNamespaces: { trust: NS.trust, wsp: NS.wsp },
  });
  return signX509(xml, { privateKey: credential.privateKey, bstId: 'uuid-bst-1', referenceIds: ['_0', '_1'] });
}

/** A USI call carrying an (opaque) issued token, HMAC-SHA1 signed over the Timestamp with the proof key. */
export function signedUsiRequest(proofKey: Buffer, now = new Date()): string {
  const xml = soapEnvelope({
    action: `${NS.usi}/VerifyUSI`,
    to: USI_URL,
    securityXml:
      timestampXml(now) +
      `<xenc:EncryptedData xmlns:xenc="${NS.xenc}" Type="http://www.w3.org/2001/04/xmlenc#Element">` +
      '<xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>',
    bodyXml: `<VerifyUSI xmlns="${NS.usi}"><OrgCode>VA1803</OrgCode><USI>BNGH7C75FN</USI></VerifyUSI>`,
  });
  return signHmac(xml, { key: proofKey, referenceIds: ['_0'], keyInfoXml: SAML_STR_XML });
}
