import { randomUUID } from 'node:crypto';
import { UsiError } from '@usi/contract';
import { escapeXml, NS, soapFaultXml, timestampXml, type SoapFaultInput } from '@usi/ws-security';

export const SOAP12_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export interface SimResponse {
  status: number;
  body: string;
  contentType: string;
  /** Why a fault was sent, for the simulator's log only (the wire text stays generic). */
  note?: string;
}

/** A SOAP fault to send; `subcode` uses the prefixes soapFaultXml declares (`a:`, `o:`, `trust:`). */
export type FaultSpec = Omit<SoapFaultInput, 'relatesTo'>;

/** A response envelope the way WCF sends one: Action, RelatesTo, To anonymous and a Security header with a Timestamp. */
export function responseEnvelope(input: { action: string; relatesTo?: string; now: Date; bodyXml: string }): string {
  const relatesTo = input.relatesTo ? `<a:RelatesTo>${escapeXml(input.relatesTo)}</a:RelatesTo>` : '';
  return (
    `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.wsa}" xmlns:u="${NS.wsu}"><s:Header>` +
    `<a:Action s:mustUnderstand="1">${escapeXml(input.action)}</a:Action>` +
    `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID>${relatesTo}` +
    `<a:To s:mustUnderstand="1">http://www.w3.org/2005/08/addressing/anonymous</a:To>` +
    `<o:Security s:mustUnderstand="1" xmlns:o="${NS.wsse}">${timestampXml(input.now)}</o:Security>` +
    `</s:Header><s:Body>${input.bodyXml}</s:Body></s:Envelope>`
  );
}

/** SOAP 1.2 faults always go out as HTTP 500, like WCF. */
export function faultResponse(fault: FaultSpec, relatesTo: string | undefined, cause: unknown): SimResponse {
  return {
    status: 500,
    contentType: SOAP12_CONTENT_TYPE,
    body: soapFaultXml({ ...fault, ...(relatesTo ? { relatesTo } : {}) }),
    note: cause instanceof UsiError ? `${cause.code}: ${cause.message}` : cause instanceof Error ? cause.message : String(cause),
  };
}
