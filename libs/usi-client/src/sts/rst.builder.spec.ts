import { createTestCa } from '@usi/keystore';
import { parseXml, selectElements, verifyX509 } from '@usi/ws-security';
import { MachineCredential } from '../credential/machine-credential';
import { buildRst } from './rst.builder';

const NOW = new Date('2026-03-01T10:20:30.456Z');
const STS = 'https://softwareauthorisations.evte.ato.gov.au/R3.0/S007v1.3/service.svc';
const USI = 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc';

describe('buildRst', () => {
  let credential: MachineCredential;

  beforeAll(() => {
    const issued = createTestCa({ now: NOW }).issueMachineCredential({ abn: '11000002568', name: 'INGLETON153' });
    credential = { id: 'ABRD:11000002568_INGLETON153', abn: '11000002568', notAfter: new Date('2028-01-01'), ...issued };
  });

  function build(actAs = false) {
    const input = { credential, stsUrl: STS, appliesTo: USI, lifetimeSeconds: 3600, now: NOW };
    const { xml } = buildRst(actAs ? { ...input, actAs: { firstPartyAbn: '11000002568', secondPartyAbn: '96312011219', ssid: '0000123400' } } : input);
    return parseXml(xml);
  }

  const text = (doc: ReturnType<typeof build>, expr: string) => selectElements(expr, doc).map((e) => e.textContent);
  const attr = (doc: ReturnType<typeof build>, expr: string, name: string) => selectElements(expr, doc)[0]?.getAttributeNS('http://vanguard.business.gov.au/2016/03', name);

  it('signs Timestamp _0 and a:To _1 with the credential certificate (RSA-SHA256)', () => {
    const doc = build();
    const verified = verifyX509(doc);
    expect(verified.signedIds).toEqual(['_0', '_1']);
    expect(verified.certificateDer.equals(credential.certificateDer)).toBe(true);
    expect(verified.signedElements.get('_1')?.localName).toBe('To');
    expect(text(doc, '/s:Envelope/s:Header/a:To')).toEqual([STS]);
    expect(text(doc, '/s:Envelope/s:Header/a:Action')).toEqual(['http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue']);
  });

  it('orders the Security header Timestamp, BinarySecurityToken, Signature (Layout Strict)', () => {
    const names = selectElements('/s:Envelope/s:Header/o:Security/*', build()).map((e) => e.localName);
    expect(names).toEqual(['Timestamp', 'BinarySecurityToken', 'Signature']);
  });

  it('asks for a SAML 2.0 symmetric-key token for the USI AppliesTo with the abn and credentialtype claims', () => {
    const doc = build();
    const rst = '/s:Envelope/s:Body/trust:RequestSecurityToken';
    expect(text(doc, `${rst}/wsp:AppliesTo/a:EndpointReference/a:Address`)).toEqual([USI]);
    expect(text(doc, `${rst}/trust:KeyType`)).toEqual(['http://docs.oasis-open.org/ws-sx/ws-trust/200512/SymmetricKey']);
    expect(text(doc, `${rst}/trust:TokenType`)).toEqual(['http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0']);
    expect(text(doc, `${rst}/trust:RequestType`)).toEqual(['http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue']);
    const claims = selectElements(`${rst}/trust:Claims/i:ClaimType`, doc);
    expect(claims.map((c) => c.getAttribute('Uri'))).toEqual([
      'http://vanguard.ebusiness.gov.au/2008/06/identity/claims/abn',
      'http://vanguard.ebusiness.gov.au/2008/06/identity/claims/credentialtype',
    ]);
    expect(claims.every((c) => c.getAttribute('Optional') === 'false' && c.childNodes.length === 0)).toBe(true);
    expect(text(doc, `${rst}/trust:Lifetime/u:Created`)).toEqual(['2026-03-01T10:20:30.000Z']);
    expect(text(doc, `${rst}/trust:Lifetime/u:Expires`)).toEqual(['2026-03-01T11:20:30.000Z']);
    expect(selectElements(`${rst}/trust2008:ActAs`, doc)).toHaveLength(0);
  });

  it('adds an OSPfor RelationshipToken with SSID and both parties when acting for a provider', () => {
    const doc = build(true);
    const token = '/s:Envelope/s:Body/trust:RequestSecurityToken/trust2008:ActAs/v13:RelationshipToken';
    expect(attr(doc, token, 'ID')).toMatch(/^[0-9a-f-]{36}$/);
    expect(attr(doc, `${token}/v13:Relationship`, 'Type')).toBe('OSPfor');
    expect(attr(doc, `${token}/v13:Relationship/v13:Attribute`, 'Name')).toBe('SSID');
    expect(attr(doc, `${token}/v13:Relationship/v13:Attribute`, 'Value')).toBe('0000123400');
    expect(attr(doc, `${token}/v13:FirstParty`, 'Value')).toBe('11000002568');
    expect(attr(doc, `${token}/v13:SecondParty`, 'Value')).toBe('96312011219');
    expect(attr(doc, `${token}/v13:SecondParty`, 'Scheme')).toBe('uri://abr.gov.au/ABN');
    expect(verifyX509(doc).signedIds).toEqual(['_0', '_1']);
  });

  it('uses a new relationship id per request', () => {
    const id = () => attr(build(true), '//v13:RelationshipToken', 'ID');
    expect(id()).not.toBe(id());
  });
});
