import { escapeXml, NS, wsuDateTime } from '@usi/ws-security';

const SAML2_TOKEN_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0';
const SAMLID_VALUE_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID';
export const RSTRC_ISSUE_FINAL_ACTION = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/IssueFinal';

export interface IssuedToken {
  encryptedAssertionXml: string;
  assertionId: string;
  appliesTo: string;
  proofKey: Buffer;
  created: Date;
  expires: Date;
}

/** The RSTR body laid out as m2m-sts.md §4 (a SAML 2.0 variant of the captured WCF response). */
export function rstrXml(token: IssuedToken): string {
  const reference =
    `<o:SecurityTokenReference xmlns:o="${NS.wsse}" xmlns:k="${NS.wsse11}" k:TokenType="${SAML2_TOKEN_TYPE}">` +
    `<o:KeyIdentifier ValueType="${SAMLID_VALUE_TYPE}">${escapeXml(token.assertionId)}</o:KeyIdentifier></o:SecurityTokenReference>`;
  return (
    `<trust:RequestSecurityTokenResponseCollection xmlns:trust="${NS.trust}" xmlns:wsp="${NS.wsp}" xmlns:a="${NS.wsa}" xmlns:u="${NS.wsu}">` +
    `<trust:RequestSecurityTokenResponse>` +
    `<trust:TokenType>${SAML2_TOKEN_TYPE}</trust:TokenType>` +
    `<trust:RequestedSecurityToken>${token.encryptedAssertionXml}</trust:RequestedSecurityToken>` +
    `<trust:RequestedAttachedReference>${reference}</trust:RequestedAttachedReference>` +
    `<trust:RequestedUnattachedReference>${reference}</trust:RequestedUnattachedReference>` +
    `<wsp:AppliesTo><a:EndpointReference><a:Address>${escapeXml(token.appliesTo)}</a:Address></a:EndpointReference></wsp:AppliesTo>` +
    `<trust:RequestedProofToken><trust:BinarySecret Type="${NS.trust}/Nonce">${token.proofKey.toString('base64')}</trust:BinarySecret></trust:RequestedProofToken>` +
    `<trust:Lifetime><u:Created>${wsuDateTime(token.created)}</u:Created><u:Expires>${wsuDateTime(token.expires)}</u:Expires></trust:Lifetime>` +
    `</trust:RequestSecurityTokenResponse></trust:RequestSecurityTokenResponseCollection>`
  );
}
