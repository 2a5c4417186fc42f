import { DEFAULT_SERVICE_VERSION, encodeRequest, OperationRequest, UsiOperation, UsiServiceVersion } from '@usi/contract';
import { signHmac, soapEnvelope, timestampXml } from '@usi/ws-security';
import { SecurityToken } from '../token/security-token';

export interface UsiRequestInput<O extends UsiOperation> {
  op: O;
  request: OperationRequest<O>;
  token: SecurityToken;
  usiUrl: string;
  now: Date;
  /** Namespace, action prefix and schema of the web-service version (default v5). */
  version?: UsiServiceVersion;
}

const EMPTY_BODY = '<s:Body></s:Body>';

/**
 * The signed SOAP message for one USI call: the issued token copied verbatim into `o:Security`, the Timestamp `_0`
 * signed HMAC-SHA1 with the proof key and KeyInfo = the RSTR's attached reference (usi-contract.md §2).
 * Only the Timestamp is signed, and its canonical form does not depend on its siblings, so the signature is computed
 * over a skeleton without the token and the body, which are spliced in afterwards: the signer then never parses the
 * encrypted assertion (several KB) or a 500-record batch, and its cost no longer grows with them.
 */
export function buildUsiRequest<O extends UsiOperation>(input: UsiRequestInput<O>): { xml: string; action: string } {
  const version = input.version ?? DEFAULT_SERVICE_VERSION;
  const action = `${version.actionPrefix}${input.op}`;
  const timestamp = timestampXml(input.now, 300, '_0');
  const skeleton = soapEnvelope({ action, to: input.usiUrl, securityXml: timestamp, bodyXml: '' });
  const signed = signHmac(skeleton, { key: input.token.proofKey, referenceIds: ['_0'], keyInfoXml: input.token.attachedReferenceXml });
  const afterTimestamp = signed.indexOf(timestamp) + timestamp.length;
  const body = signed.lastIndexOf(EMPTY_BODY);
  return {
    xml:
      signed.slice(0, afterTimestamp) +
      input.token.tokenXml +
      signed.slice(afterTimestamp, body) +
      `<s:Body>${encodeRequest(input.op, input.request, version)}</s:Body>` +
      signed.slice(body + EMPTY_BODY.length),
    action,
  };
}
