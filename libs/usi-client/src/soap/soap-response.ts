import type { Document, Element } from '@xmldom/xmldom';
import { NS, parseSoapFault, parseXml, selectElements, SoapFault } from '@usi/ws-security';
import { UsiError } from '@usi/contract';
import { UsiClientError } from '../errors/usi-client-error';
import { HttpResponse } from '../http/http-transport';

export type SoapReply = { fault: SoapFault; doc: Document } | { fault?: undefined; body: Element; doc: Document };

/**
 * Classifies an HTTP reply from a SOAP endpoint. A parsable SOAP fault wins over the HTTP status (both services
 * send faults as HTTP 500); without one, 503 means the service is down and other non-2xx codes are HTTP errors.
 * The body is parsed with the hardened parser, so hostile XML is refused, never expanded.
 */
export function readSoapReply(res: HttpResponse, endpoint: string): SoapReply {
  let doc: Document;
  try {
    doc = parseXml(res.body);
  } catch (err) {
    if (res.status === 503) throw unavailable(endpoint, res.status);
    throw new UsiClientError('upstream.bad_response', `Unreadable response from ${endpoint}`, {
      endpoint,
      httpStatus: res.status,
      reason: err instanceof UsiError ? err.code : 'xml.malformed',
    });
  }
  const fault = parseSoapFault(doc);
  if (fault) return { fault, doc };
  if (res.status === 503) throw unavailable(endpoint, res.status);
  if (res.status < 200 || res.status >= 300) {
    throw new UsiClientError('upstream.http_error', `HTTP ${res.status} from ${endpoint}`, { endpoint, httpStatus: res.status });
  }
  const root = doc.documentElement!;
  const body = root.namespaceURI === NS.soap12 && root.localName === 'Envelope' ? selectElements('/s:Envelope/s:Body', doc)[0] : undefined;
  if (!body) throw badResponse(endpoint, 'Response is not a SOAP 1.2 envelope');
  return { body, doc };
}

export function badResponse(endpoint: string, message: string, details: Record<string, unknown> = {}): UsiClientError {
  return new UsiClientError('upstream.bad_response', message, { endpoint, ...details });
}

function unavailable(endpoint: string, httpStatus: number): UsiClientError {
  return new UsiClientError('upstream.unavailable', `${endpoint} is unavailable (HTTP ${httpStatus})`, { endpoint, httpStatus });
}

/** The single element child of `s:Body`, which is all either service ever puts there. */
export function bodyPayload(body: Element, endpoint: string): Element {
  const children = selectElements('*', body);
  if (children.length !== 1) throw badResponse(endpoint, 'SOAP Body does not hold exactly one element');
  return children[0];
}
