import { UsiClientError } from '../errors/usi-client-error';
import { HttpResponse } from '../http/http-transport';
import { ENCRYPTED_DATA, PROOF, rstr } from '../testing/rstr.fixture';
import { parseRstr } from './rstr.parser';

const STS = 'https://sts.example/R3.0/S007v1.3/service.svc';
const ok = (body: string, status = 200): HttpResponse => ({ status, body, headers: {} });

function errorOf(fn: () => unknown): UsiClientError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsiClientError);
    return err as UsiClientError;
  }
  throw new Error('expected a throw');
}

describe('parseRstr', () => {
  it('reads a bare EncryptedData token, the attached reference, the proof key and the lifetime', () => {
    const token = parseRstr(ok(rstr()), STS);
    expect(token.tokenXml).toBe(ENCRYPTED_DATA);
    expect(token.proofKey.equals(PROOF)).toBe(true);
    expect(token.created.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(token.expires.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    // The STR is serialized standalone, so it carries the o: declaration it inherited from the envelope.
    expect(token.attachedReferenceXml).toContain('xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"');
    expect(token.attachedReferenceXml).toContain('<o:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID">_a1b2</o:KeyIdentifier>');
  });

  it('unwraps a SAML 2.0 EncryptedAssertion to its EncryptedData', () => {
    const wrapped = `<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${ENCRYPTED_DATA}</saml:EncryptedAssertion>`;
    expect(parseRstr(ok(rstr({ token: wrapped })), STS).tokenXml).toBe(ENCRYPTED_DATA);
  });

  it('accepts an RSTR that is not wrapped in a collection', () => {
    expect(parseRstr(ok(rstr({ wrapInCollection: false })), STS).tokenXml).toBe(ENCRYPTED_DATA);
  });

  it('maps a SOAP fault to sts.fault with code, subcode and reason', () => {
    const fault =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Body><s:Fault>' +
      '<s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>a:InvalidSecurity</s:Value></s:Subcode></s:Code>' +
      '<s:Reason><s:Text xml:lang="en-US">E2003 the relying party specified in the AppliesTo element is not recognised</s:Text></s:Reason>' +
      '</s:Fault></s:Body></s:Envelope>';
    const err = errorOf(() => parseRstr(ok(fault, 500), STS));
    expect(err.code).toBe('sts.fault');
    expect(err.message).toContain('E2003');
    expect(err.details).toMatchObject({
      faultCode: expect.stringContaining('Sender'),
      subcode: expect.stringContaining('InvalidSecurity'),
      reason: expect.stringContaining('AppliesTo'),
    });
  });

  it.each([
    ['a DOCTYPE (entity expansion attempt)', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'],
    ['malformed XML', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'],
    ['a non-SOAP document', '<html><body>hello</body></html>'],
    ['an RSTR without a proof key', rstr().replace(/<trust:RequestedProofToken>.*<\/trust:RequestedProofToken>/, '')],
    ['a proof key shorter than 16 bytes', rstr({ secret: Buffer.alloc(8, 7).toString('base64') })],
    ['a proof key that is not base64', rstr({ secret: 'not*base64!' })],
    ['an invalid Expires', rstr({ expires: 'tomorrow' })],
    ['two tokens', rstr({ token: ENCRYPTED_DATA + ENCRYPTED_DATA })],
  ])('refuses %s as upstream.bad_response', (_what, body) => {
    const err = errorOf(() => parseRstr(ok(body), STS));
    expect(err.code).toBe('upstream.bad_response');
    expect(JSON.stringify(err.details)).not.toContain(PROOF.toString('base64'));
  });

  it('maps a non-SOAP 503 to upstream.unavailable and other statuses to upstream.http_error', () => {
    expect(errorOf(() => parseRstr(ok('Service Unavailable', 503), STS)).code).toBe('upstream.unavailable');
    expect(errorOf(() => parseRstr(ok('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>', 404), STS)).code).toBe(
      'upstream.http_error',
    );
  });
});
