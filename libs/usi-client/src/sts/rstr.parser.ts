import type { Element } from '@xmldom/xmldom';
import { XMLSerializer } from '@xmldom/xmldom';
import { selectElements } from '@usi/ws-security';
import { UsiClientError } from '../errors/usi-client-error';
import { HttpResponse } from '../http/http-transport';
import { badResponse, bodyPayload, readSoapReply } from '../soap/soap-response';
import { SecurityToken } from '../token/security-token';

const MIN_PROOF_KEY_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads a WS-Trust RSTR (m2m-sts.md §4). The token is kept as serialized XML because it is encrypted for the USI
 * service and must be replayed unchanged; a SAML 2.0 `saml:EncryptedAssertion` is unwrapped to its EncryptedData,
 * as the official sample does. `faultDetails` are added to an `sts.fault` (e.g. the clock offset the reply showed).
 */
export function parseRstr(res: HttpResponse, endpoint: string, faultDetails?: Record<string, unknown>): SecurityToken {
  const reply = readSoapReply(res, endpoint);
  if (reply.fault) {
    const { code, subcode, reason } = reply.fault;
    throw new UsiClientError('sts.fault', `STS refused the token request: ${reason}`, {
      faultCode: code,
      subcode,
      reason,
      httpStatus: res.status,
      ...faultDetails,
    });
  }
  const payload = bodyPayload(reply.body, endpoint);
  const rstr = one(payload, 'self::trust:RequestSecurityTokenResponse | self::trust:RequestSecurityTokenResponseCollection/trust:RequestSecurityTokenResponse', endpoint, 'RequestSecurityTokenResponse');
  const token = one(
    rstr,
    'trust:RequestedSecurityToken/xenc:EncryptedData | trust:RequestedSecurityToken/saml:EncryptedAssertion/xenc:EncryptedData',
    endpoint,
    'RequestedSecurityToken/EncryptedData',
  );
  const reference = one(rstr, 'trust:RequestedAttachedReference/o:SecurityTokenReference', endpoint, 'RequestedAttachedReference');
  const secret = one(rstr, 'trust:RequestedProofToken/trust:BinarySecret', endpoint, 'RequestedProofToken/BinarySecret');
  const serializer = new XMLSerializer();
  return {
    tokenXml: serializer.serializeToString(token),
    attachedReferenceXml: serializer.serializeToString(reference),
    proofKey: decodeProofKey(secret, endpoint),
    created: dateOf(rstr, 'trust:Lifetime/u:Created', endpoint),
    expires: dateOf(rstr, 'trust:Lifetime/u:Expires', endpoint),
  };
}

function one(context: Element, expr: string, endpoint: string, what: string): Element {
  const found = selectElements(expr, context);
  if (found.length !== 1) {
    throw badResponse(endpoint, `STS response has ${found.length === 0 ? 'no' : 'more than one'} ${what}`, { element: what });
  }
  return found[0];
}

function decodeProofKey(secret: Element, endpoint: string): Buffer {
  const text = (secret.textContent ?? '').replace(/\s+/g, '');
  const key = BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  // Never echo the secret itself, only its size.
  if (key.length < MIN_PROOF_KEY_BYTES) {
    throw badResponse(endpoint, `STS proof key is missing or shorter than ${MIN_PROOF_KEY_BYTES} bytes`, { proofKeyBytes: key.length });
  }
  return key;
}

function dateOf(rstr: Element, expr: string, endpoint: string): Date {
  const el = one(rstr, expr, endpoint, expr.replace(/\w+:/g, ''));
  const text = (el.textContent ?? '').trim();
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(date.getTime())) {
    throw badResponse(endpoint, 'STS response has an invalid Lifetime', { element: expr.replace(/\w+:/g, '') });
  }
  return date;
}
