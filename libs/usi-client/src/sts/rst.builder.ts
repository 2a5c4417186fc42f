import { randomUUID } from 'node:crypto';
import { binarySecurityTokenXml, escapeXml, NS, signX509, soapEnvelope, timestampXml, wsuDateTime } from '@usi/ws-security';
import { MachineCredential } from '../credential/machine-credential';
import { ActAs } from '../token/security-token';

export const RST_ISSUE_ACTION = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue';
const ISSUE_REQUEST_TYPE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue';
const SYMMETRIC_KEY = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/SymmetricKey';
const SAML2_TOKEN_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0';
const CLAIM_BASE = 'http://vanguard.ebusiness.gov.au/2008/06/identity/claims';
const ABN_SCHEME = 'uri://abr.gov.au/ABN';

export interface RstInput {
  credential: MachineCredential;
  stsUrl: string;
  appliesTo: string;
  actAs?: ActAs;
  lifetimeSeconds: number;
  now: Date;
}

/**
 * A signed WS-Trust 1.3 Issue request laid out like the official USI sample templates (m2m-sts.md §3.2, §3.4):
 * Timestamp `_0` and `a:To` `_1` signed RSA-SHA256 with the leaf certificate in a BinarySecurityToken.
 */
export function buildRst(input: RstInput): { xml: string; messageId: string } {
  const messageId = `urn:uuid:${randomUUID()}`;
  const bstId = `uuid-${randomUUID()}-1`;
  const unsigned = soapEnvelope({
    action: RST_ISSUE_ACTION,
    to: input.stsUrl,
    toId: '_1',
    messageId,
    securityXml: timestampXml(input.now, 300, '_0') + binarySecurityTokenXml(input.credential.certificateDer, bstId),
    bodyXml: rstBody(input),
    extraNamespaces: { trust: NS.trust, wsp: NS.wsp, i: NS.identity, trust2008: NS.trust2008, v13: NS.v13 },
  });
  const xml = signX509(unsigned, { privateKey: input.credential.privateKey, bstId, referenceIds: ['_0', '_1'] });
  return { xml, messageId };
}

function rstBody(input: RstInput): string {
  const expires = new Date(input.now.getTime() + input.lifetimeSeconds * 1000);
  return (
    '<trust:RequestSecurityToken>' +
    `<wsp:AppliesTo><a:EndpointReference><a:Address>${escapeXml(input.appliesTo)}</a:Address></a:EndpointReference></wsp:AppliesTo>` +
    // Claim types without values, as the official templates send them (m2m-sts.md §3.3).
    `<trust:Claims Dialect="${NS.identity}">` +
    `<i:ClaimType Uri="${CLAIM_BASE}/abn" Optional="false"/>` +
    `<i:ClaimType Uri="${CLAIM_BASE}/credentialtype" Optional="false"/>` +
    '</trust:Claims>' +
    `<trust:KeyType>${SYMMETRIC_KEY}</trust:KeyType>` +
    `<trust:Lifetime><u:Created>${wsuDateTime(input.now)}</u:Created><u:Expires>${wsuDateTime(expires)}</u:Expires></trust:Lifetime>` +
    `<trust:RequestType>${ISSUE_REQUEST_TYPE}</trust:RequestType>` +
    `<trust:TokenType>${SAML2_TOKEN_TYPE}</trust:TokenType>` +
    (input.actAs ? actAsXml(input.actAs) : '') +
    '</trust:RequestSecurityToken>'
  );
}

function actAsXml(actAs: ActAs): string {
  return (
    '<trust2008:ActAs>' +
    `<v13:RelationshipToken v13:ID="${randomUUID()}">` +
    `<v13:Relationship v13:Type="OSPfor"><v13:Attribute v13:Name="SSID" v13:Value="${escapeXml(actAs.ssid)}"/></v13:Relationship>` +
    `<v13:FirstParty v13:Scheme="${ABN_SCHEME}" v13:Value="${escapeXml(actAs.firstPartyAbn)}"/>` +
    `<v13:SecondParty v13:Scheme="${ABN_SCHEME}" v13:Value="${escapeXml(actAs.secondPartyAbn)}"/>` +
    '</v13:RelationshipToken>' +
    '</trust2008:ActAs>'
  );
}
