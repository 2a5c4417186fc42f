import type { Element, Node } from '@xmldom/xmldom';
import { NS, selectElements, selectOne } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { binarySecurityTokenXml, timestampXml } from './security-header.builder';
import { soapEnvelope, WSA_ANONYMOUS } from './soap-envelope.builder';

const text = (doc: Node, expr: string) => (selectOne(expr, doc) as Element | undefined)?.textContent;

describe('soapEnvelope', () => {
  const xml = soapEnvelope({
    action: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue',
    to: 'https://sts.example/service.svc?a=1&b=2',
    messageId: 'urn:uuid:00000000-0000-0000-0000-000000000001',
    toId: '_1',
    securityXml: timestampXml(new Date('2025-03-04T05:06:07.890Z')),
    bodyXml: '<trust:RequestSecurityToken/>',
    extraNamespaces: { trust: NS.trust },
  });
  const doc = parseXml(xml);

  it('builds SOAP 1.2 with WS-Addressing headers and mustUnderstand on Action, To and Security', () => {
    expect(text(doc, '/s:Envelope/s:Header/a:Action')).toBe('http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue');
    expect(text(doc, '/s:Envelope/s:Header/a:MessageID')).toBe('urn:uuid:00000000-0000-0000-0000-000000000001');
    expect(text(doc, '/s:Envelope/s:Header/a:ReplyTo/a:Address')).toBe(WSA_ANONYMOUS);
    expect(text(doc, '/s:Envelope/s:Header/a:To')).toBe('https://sts.example/service.svc?a=1&b=2');
    for (const name of ['a:Action', 'a:To', 'o:Security']) {
      expect(selectElements(`/s:Envelope/s:Header/${name}[@s:mustUnderstand='1']`, doc)).toHaveLength(1);
    }
    expect(selectElements("/s:Envelope/s:Header/a:To[@u:Id='_1']", doc)).toHaveLength(1);
    expect(selectElements('/s:Envelope/s:Body/trust:RequestSecurityToken', doc)).toHaveLength(1);
  });

  it('puts the security content inside o:Security and emits no whitespace between elements', () => {
    expect(selectElements("/s:Envelope/s:Header/o:Security/u:Timestamp[@u:Id='_0']", doc)).toHaveLength(1);
    expect(xml).not.toMatch(/>\s+</);
  });

  it('omits u:Id on To when no toId is given and generates a fresh MessageID', () => {
    const build = () =>
      parseXml(soapEnvelope({ action: 'urn:x', to: 'https://usi.example/', securityXml: '', bodyXml: '' }));
    const a = build();
    expect(selectElements('/s:Envelope/s:Header/a:To[@u:Id]', a)).toHaveLength(0);
    expect(text(a, '/s:Envelope/s:Header/a:MessageID')).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(text(a, '/s:Envelope/s:Header/a:MessageID')).not.toBe(text(build(), '/s:Envelope/s:Header/a:MessageID'));
  });
});

describe('timestampXml', () => {
  it('uses whole seconds with a .000Z suffix and the given lifetime and id', () => {
    const doc = parseXml(`<r xmlns:u="${NS.wsu}">${timestampXml(new Date('2025-03-04T05:06:07.890Z'), 60, 'ts')}</r>`);
    expect(text(doc, "/r/u:Timestamp[@u:Id='ts']/u:Created")).toBe('2025-03-04T05:06:07.000Z');
    expect(text(doc, "/r/u:Timestamp[@u:Id='ts']/u:Expires")).toBe('2025-03-04T05:07:07.000Z');
  });

  it('defaults to five minutes and id _0', () => {
    const doc = parseXml(`<r xmlns:u="${NS.wsu}">${timestampXml(new Date('2025-12-31T23:58:00Z'))}</r>`);
    expect(text(doc, "/r/u:Timestamp[@u:Id='_0']/u:Expires")).toBe('2026-01-01T00:03:00.000Z');
  });
});

describe('binarySecurityTokenXml', () => {
  it('carries the certificate in base64 with the X509v3 value type', () => {
    const der = Buffer.from([0x30, 0x82, 0x01, 0xff, 0x00]);
    const doc = parseXml(`<r xmlns:u="${NS.wsu}" xmlns:o="${NS.wsse}">${binarySecurityTokenXml(der, 'uuid-1')}</r>`);
    const bst = selectOne("/r/o:BinarySecurityToken[@u:Id='uuid-1']", doc) as Element;
    expect(Buffer.from(bst.textContent!, 'base64')).toEqual(der);
    expect(bst.getAttribute('ValueType')).toMatch(/#X509v3$/);
    expect(bst.getAttribute('EncodingType')).toMatch(/#Base64Binary$/);
  });
});
