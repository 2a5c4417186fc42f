import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import {
  binarySecurityTokenXml,
  NS,
  parseSoapFault,
  parseXml,
  selectElements,
  signHmac,
  signX509,
  soapEnvelope,
  timestampXml,
  type SoapFault,
} from '@usi/ws-security';

/** Minimal client side for the simulator tests (the real client lives in @usi/client). */
export interface RstOptions {
  stsUrl: string;
  appliesTo: string;
  certificateDer: Buffer;
  privateKey: KeyObject;
  now?: Date;
  actAs?: { firstPartyAbn: string; secondPartyAbn: string; ssid: string };
  lifetimeSeconds?: number;
}

export function buildRst(o: RstOptions): string {
  const now = o.now ?? new Date();
  const lifetime = o.lifetimeSeconds
    ? `<trust:Lifetime><u:Created>${now.toISOString()}</u:Created><u:Expires>${new Date(now.getTime() + o.lifetimeSeconds * 1000).toISOString()}</u:Expires></trust:Lifetime>`
    : '';
  const actAs = o.actAs
    ? `<trust2008:ActAs><v13:RelationshipToken v13:ID="${randomUUID()}"><v13:Relationship v13:Type="OSPfor">` +
      `<v13:Attribute v13:Name="SSID" v13:Value="${o.actAs.ssid}"/></v13:Relationship>` +
      `<v13:FirstParty v13:Scheme="uri://abr.gov.au/ABN" v13:Value="${o.actAs.firstPartyAbn}"/>` +
      `<v13:SecondParty v13:Scheme="uri://abr.gov.au/ABN" v13:Value="${o.actAs.secondPartyAbn}"/></v13:RelationshipToken></trust2008:ActAs>`
    : '';
  const xml = soapEnvelope({
    action: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue',
    to: o.stsUrl,
    toId: '_1',
    securityXml: timestampXml(now) + binarySecurityTokenXml(o.certificateDer, 'uuid-bst-1'),
    bodyXml:
      `<trust:RequestSecurityToken><wsp:AppliesTo><a:EndpointReference><a:Address>${o.appliesTo}</a:Address></a:EndpointReference></wsp:AppliesTo>` +
      '<trust:KeyType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/SymmetricKey</trust:KeyType>' +
      lifetime +
      '<trust:RequestType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue</trust:RequestType>' +
      '<trust:TokenType>http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0</trust:TokenType>' +
      `${actAs}</trust:RequestSecurityToken>`,
    extraNamespaces: { trust: NS.trust, wsp: NS.wsp, trust2008: NS.trust2008, v13: NS.v13 },
  });
  return signX509(xml, { privateKey: o.privateKey, bstId: 'uuid-bst-1', referenceIds: ['_0', '_1'] });
}

export interface Token {
  encryptedDataXml: string;
  referenceXml: string;
  proofKey: Buffer;
  expires: Date;
}

export function readRstr(xml: string): Token {
  const doc = parseXml(xml);
  const rstr = selectElements('/s:Envelope/s:Body/trust:RequestSecurityTokenResponseCollection/trust:RequestSecurityTokenResponse', doc)[0];
  if (!rstr) throw new Error(`not an RSTR: ${xml.slice(0, 300)}`);
  const serializer = new XMLSerializer();
  const one = (expr: string) => {
    const el = selectElements(expr, rstr)[0];
    if (!el) throw new Error(`RSTR lacks ${expr}`);
    return el;
  };
  return {
    encryptedDataXml: serializer.serializeToString(one('trust:RequestedSecurityToken/saml:EncryptedAssertion/xenc:EncryptedData')),
    referenceXml: serializer.serializeToString(one('trust:RequestedAttachedReference/o:SecurityTokenReference')),
    proofKey: Buffer.from(one('trust:RequestedProofToken/trust:BinarySecret').textContent ?? '', 'base64'),
    expires: new Date(one('trust:Lifetime/u:Expires').textContent ?? ''),
  };
}

export function buildUsiCall(o: { usiUrl: string; token: Token; operation: string; bodyXml: string; now?: Date; proofKey?: Buffer }): string {
  const xml = soapEnvelope({
    action: `${NS.usi}/${o.operation}`,
    to: o.usiUrl,
    securityXml: timestampXml(o.now ?? new Date()) + o.token.encryptedDataXml,
    bodyXml: o.bodyXml,
  });
  return signHmac(xml, { key: o.proofKey ?? o.token.proofKey, referenceIds: ['_0'], keyInfoXml: o.token.referenceXml });
}

export function faultOf(xml: string): SoapFault | undefined {
  return parseSoapFault(parseXml(xml));
}

export async function post(url: string, body: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, body });
  return { status: response.status, body: await response.text() };
}

export function verifyUsiBody(orgCode: string): string {
  return (
    `<VerifyUSI xmlns="${NS.usi}"><OrgCode>${orgCode}</OrgCode><USI>BNGH7C75FN</USI>` +
    '<FirstName>Maryam</FirstName><FamilyName>Fredrick</FamilyName><DateOfBirth>1966-05-25</DateOfBirth></VerifyUSI>'
  );
}
