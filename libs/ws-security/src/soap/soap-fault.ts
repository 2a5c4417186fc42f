import type { Document, Element } from '@xmldom/xmldom';
import { escapeXml } from '../xml/escape-xml';
import { NS, selectElements } from '../xml/namespaces';

export interface SoapFault {
  /** Local part of `s:Code/s:Value`: `Sender` or `Receiver` (or another SOAP 1.2 code). */
  code: string;
  /** Local part of the first `s:Subcode/s:Value`, e.g. `InvalidSecurity`, `FailedAuthentication`. */
  subcode?: string;
  /** Namespace of the subcode QName, when its prefix resolves. */
  subcodeNamespace?: string;
  reason: string;
  /** First element child of `s:Detail` (e.g. the 2020 `ErrorInfo` / `ArrayOfErrorInfo`). */
  detail?: Element;
}

export const WSA_FAULT_ACTION = 'http://www.w3.org/2005/08/addressing/soap/fault';

/** The SOAP 1.2 fault in the Body, or `undefined` when the message is not a fault. */
export function parseSoapFault(doc: Document): SoapFault | undefined {
  const fault = selectElements('/s:Envelope/s:Body/s:Fault', doc)[0];
  if (!fault) return undefined;
  const codeValue = selectElements('s:Code/s:Value', fault)[0];
  const subcodeValue = selectElements('s:Code/s:Subcode/s:Value', fault)[0];
  const texts = selectElements('s:Reason/s:Text', fault);
  const reasonText = texts.find((t) => (t.getAttribute('xml:lang') ?? '').toLowerCase().startsWith('en')) ?? texts[0];
  const detail = selectElements('s:Detail/*', fault)[0];
  const subcode = subcodeValue ? qname(subcodeValue) : undefined;
  return {
    code: codeValue ? qname(codeValue).localName : '',
    ...(subcode ? { subcode: subcode.localName } : {}),
    ...(subcode?.namespace ? { subcodeNamespace: subcode.namespace } : {}),
    reason: (reasonText?.textContent ?? '').trim(),
    ...(detail ? { detail } : {}),
  };
}

function qname(value: Element): { localName: string; namespace?: string } {
  const text = (value.textContent ?? '').trim();
  const colon = text.indexOf(':');
  if (colon === -1) return { localName: text };
  const namespace = value.lookupNamespaceURI(text.slice(0, colon)) ?? undefined;
  return { localName: text.slice(colon + 1), ...(namespace ? { namespace } : {}) };
}

export interface SoapFaultInput {
  code: 'Sender' | 'Receiver';
  /** QName with a prefix declared on the envelope (`a:` WS-Addressing, `o:` WS-Security, `trust:`), e.g. `a:InvalidSecurity`. */
  subcode?: string;
  reason: string;
  detailXml?: string;
  /** Defaults to the WS-Addressing fault action. */
  action?: string;
  /** `a:RelatesTo`: the request's MessageID. */
  relatesTo?: string;
}

/** A complete SOAP 1.2 fault envelope as WCF sends it (the simulator returns these with HTTP 500). */
export function soapFaultXml(input: SoapFaultInput): string {
  const subcode = input.subcode ? `<s:Subcode><s:Value>${escapeXml(input.subcode)}</s:Value></s:Subcode>` : '';
  const detail = input.detailXml ? `<s:Detail>${input.detailXml}</s:Detail>` : '';
  const relatesTo = input.relatesTo ? `<a:RelatesTo>${escapeXml(input.relatesTo)}</a:RelatesTo>` : '';
  return (
    `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.wsa}" xmlns:o="${NS.wsse}" xmlns:trust="${NS.trust}">` +
    `<s:Header><a:Action s:mustUnderstand="1">${escapeXml(input.action ?? WSA_FAULT_ACTION)}</a:Action>${relatesTo}</s:Header>` +
    `<s:Body><s:Fault><s:Code><s:Value>s:${input.code}</s:Value>${subcode}</s:Code>` +
    `<s:Reason><s:Text xml:lang="en">${escapeXml(input.reason)}</s:Text></s:Reason>${detail}</s:Fault></s:Body></s:Envelope>`
  );
}
