import { NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { parseSoapFault, soapFaultXml, WSA_FAULT_ACTION } from './soap-fault';
import { soapEnvelope } from './soap-envelope.builder';

describe('soapFaultXml + parseSoapFault', () => {
  it('round-trips a security fault with a namespaced subcode', () => {
    const xml = soapFaultXml({
      code: 'Sender',
      subcode: 'a:InvalidSecurity',
      reason: 'An error occurred when verifying security for the message.',
      relatesTo: 'urn:uuid:1',
    });
    const fault = parseSoapFault(parseXml(xml));
    expect(fault).toEqual({
      code: 'Sender',
      subcode: 'InvalidSecurity',
      subcodeNamespace: NS.wsa,
      reason: 'An error occurred when verifying security for the message.',
    });
    expect(xml).toContain(`<a:Action s:mustUnderstand="1">${WSA_FAULT_ACTION}</a:Action>`);
    expect(xml).toContain('<a:RelatesTo>urn:uuid:1</a:RelatesTo>');
  });

  it('returns the first element of s:Detail and escapes the reason', () => {
    const detailXml = `<ErrorInfo xmlns="${NS.errorInfo}"><Code>1</Code><Message>x</Message></ErrorInfo><Other/>`;
    const xml = soapFaultXml({ code: 'Receiver', reason: 'a < b & c', detailXml, action: `${NS.usi}/IUSIService/VerifyUSIErrorInfoFault` });
    const fault = parseSoapFault(parseXml(xml))!;
    expect(fault.code).toBe('Receiver');
    expect(fault.subcode).toBeUndefined();
    expect(fault.reason).toBe('a < b & c');
    expect(fault.detail?.localName).toBe('ErrorInfo');
    expect(fault.detail?.namespaceURI).toBe(NS.errorInfo);
  });

  it('reads a WCF-style fault with its own prefixes and picks the English reason', () => {
    const xml =
      `<env:Envelope xmlns:env="${NS.soap12}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value>` +
      '<env:Subcode><env:Value xmlns:q="http://schemas.microsoft.com/ws/2005/05/addressing/none">q:FailedAuthentication</env:Value></env:Subcode></env:Code>' +
      '<env:Reason><env:Text xml:lang="fr">Refusé</env:Text><env:Text xml:lang="en-US">Refused</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>';
    expect(parseSoapFault(parseXml(xml))).toEqual({
      code: 'Sender',
      subcode: 'FailedAuthentication',
      subcodeNamespace: 'http://schemas.microsoft.com/ws/2005/05/addressing/none',
      reason: 'Refused',
    });
  });

  it('returns undefined for a normal response', () => {
    const xml = soapEnvelope({ action: 'urn:a', to: 'https://x.example/', securityXml: '', bodyXml: '<r/>' });
    expect(parseSoapFault(parseXml(xml))).toBeUndefined();
  });
});
