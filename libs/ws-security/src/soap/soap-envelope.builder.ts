import { randomUUID } from 'node:crypto';
import { escapeXml } from '../xml/escape-xml';
import { NS } from '../xml/namespaces';

export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';

export interface SoapEnvelopeInput {
  action: string;
  to: string;
  /** Defaults to a fresh `urn:uuid:` value. */
  messageId?: string;
  /** `u:Id` for `a:To`, so it can be signed (the STS request signs `_1`). */
  toId?: string;
  /** Content of `o:Security`, in the order it must appear (Timestamp first: Layout Strict). */
  securityXml: string;
  bodyXml: string;
  /** More `xmlns:prefix` declarations on the Envelope, e.g. `{ trust: NS.trust }` for prefixes the body uses. */
  extraNamespaces?: Record<string, string>;
}

/** Prefixes the header itself and the security helpers rely on; always declared on the Envelope. */
const ENVELOPE_NAMESPACES: Record<string, string> = { s: NS.soap12, a: NS.wsa, u: NS.wsu, o: NS.wsse, ds: NS.ds };

/**
 * A SOAP 1.2 envelope with WS-Addressing headers, laid out like the WCF messages the ATO services expect. The output
 * has no insignificant whitespace so that it can be signed and sent byte for byte.
 */
export function soapEnvelope(input: SoapEnvelopeInput): string {
  const namespaces = { ...ENVELOPE_NAMESPACES, ...input.extraNamespaces };
  const xmlns = Object.entries(namespaces)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${escapeXml(uri)}"`)
    .join('');
  const toId = input.toId === undefined ? '' : ` u:Id="${escapeXml(input.toId)}"`;
  return (
    `<s:Envelope${xmlns}><s:Header>` +
    `<a:Action s:mustUnderstand="1">${escapeXml(input.action)}</a:Action>` +
    `<a:MessageID>${escapeXml(input.messageId ?? `urn:uuid:${randomUUID()}`)}</a:MessageID>` +
    `<a:ReplyTo><a:Address>${WSA_ANONYMOUS}</a:Address></a:ReplyTo>` +
    `<a:To s:mustUnderstand="1"${toId}>${escapeXml(input.to)}</a:To>` +
    `<o:Security s:mustUnderstand="1">${input.securityXml}</o:Security>` +
    `</s:Header><s:Body>${input.bodyXml}</s:Body></s:Envelope>`
  );
}
