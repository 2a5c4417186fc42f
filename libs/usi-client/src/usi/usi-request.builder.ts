import { encodeRequest, OperationRequest, USI_NS, UsiOperation } from '@usi/contract';
import { signHmac, soapEnvelope, timestampXml } from '@usi/ws-security';
import { SecurityToken } from '../token/security-token';

export interface UsiRequestInput<O extends UsiOperation> {
  op: O;
  request: OperationRequest<O>;
  token: SecurityToken;
  usiUrl: string;
  now: Date;
}

/**
 * The signed SOAP message for one USI call: the issued token copied verbatim into `o:Security`, the Timestamp `_0`
 * signed HMAC-SHA1 with the proof key and KeyInfo = the RSTR's attached reference (usi-contract.md §2).
 */
export function buildUsiRequest<O extends UsiOperation>(input: UsiRequestInput<O>): { xml: string; action: string } {
  const action = `${USI_NS}/${input.op}`;
  const unsigned = soapEnvelope({
    action,
    to: input.usiUrl,
    securityXml: timestampXml(input.now, 300, '_0') + input.token.tokenXml,
    bodyXml: encodeRequest(input.op, input.request),
  });
  const xml = signHmac(unsigned, { key: input.token.proofKey, referenceIds: ['_0'], keyInfoXml: input.token.attachedReferenceXml });
  return { xml, action };
}
