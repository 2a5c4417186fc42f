import type { Element } from '@xmldom/xmldom';
import {
  decodeErrorInfo,
  decodeResponse,
  DEFAULT_SERVICE_VERSION,
  ErrorInfo,
  OperationResponse,
  UsiError,
  UsiOperation,
  UsiServiceVersion,
} from '@usi/contract';
import { SoapFault } from '@usi/ws-security';
import { UsiClientError } from '../errors/usi-client-error';
import { HttpResponse } from '../http/http-transport';
import { badResponse, bodyPayload, readSoapReply } from '../soap/soap-response';

/** Reads a USI reply: `<Op>Response` → the contract's JSON shape; a SOAP fault → `usi.fault`. */
export function parseUsiResponse<O extends UsiOperation>(
  op: O,
  res: HttpResponse,
  endpoint: string,
  version: UsiServiceVersion = DEFAULT_SERVICE_VERSION,
): OperationResponse<O> {
  const reply = readSoapReply(res, endpoint);
  if (reply.fault) throw usiFault(reply.fault, res.status, endpoint, version);
  const payload = bodyPayload(reply.body, endpoint);
  if (payload.namespaceURI !== version.namespace || payload.localName !== `${op}Response`) {
    throw badResponse(endpoint, `Expected ${op}Response from the USI service`, { element: payload.localName });
  }
  try {
    return decodeResponse(op, payload, version);
  } catch (err) {
    if (err instanceof UsiError) throw badResponse(endpoint, `Unexpected ${op}Response content`, { reason: err.code });
    throw err;
  }
}

function usiFault(fault: SoapFault, httpStatus: number, endpoint: string, version: UsiServiceVersion): UsiClientError {
  const errors = errorInfoOf(fault.detail, endpoint, version.errorInfoNamespace);
  const first = errors?.[0];
  const message = first ? `USI service fault ${first.code} ${first.title}: ${first.message}` : `USI service fault: ${fault.reason}`;
  return new UsiClientError('usi.fault', message, {
    faultCode: fault.code,
    subcode: fault.subcode,
    reason: fault.reason,
    httpStatus,
    ...(errors ? { errors } : {}),
  });
}

/** ErrorInfo / ArrayOfErrorInfo (ns 2020) is the business fault detail; security faults from WCF carry none. */
function errorInfoOf(detail: Element | undefined, endpoint: string, namespace: string): ErrorInfo[] | undefined {
  const isErrorInfo =
    detail?.namespaceURI === namespace && (detail.localName === 'ErrorInfo' || detail.localName === 'ArrayOfErrorInfo');
  if (!detail || !isErrorInfo) return undefined;
  try {
    return decodeErrorInfo(detail, namespace);
  } catch (err) {
    if (err instanceof UsiError) throw badResponse(endpoint, 'Unreadable ErrorInfo fault detail', { reason: err.code });
    throw err;
  }
}
