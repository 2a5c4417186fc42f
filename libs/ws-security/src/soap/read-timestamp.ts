import type { Document, Element } from '@xmldom/xmldom';
import { WsSecurityError } from '../errors/ws-security.error';
import { selectElements } from '../xml/namespaces';

export interface WsuTimestamp {
  created: Date;
  expires: Date;
  element: Element;
}

// xsd:dateTime in UTC only: the services all use `Z`, and offsets would only add ways to be misread.
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

/** The `u:Timestamp` of the message's single `o:Security` header. Freshness is the caller's policy. */
export function readTimestamp(doc: Document): WsuTimestamp {
  const timestamps = selectElements('/s:Envelope/s:Header/o:Security/u:Timestamp', doc);
  if (timestamps.length !== 1) throw badTimestamp('expected exactly one wsu:Timestamp in wsse:Security');
  const [element] = timestamps;
  const created = dateOf(element, 'Created');
  const expires = dateOf(element, 'Expires');
  if (expires.getTime() <= created.getTime()) throw badTimestamp('Expires is not after Created');
  return { created, expires, element };
}

function dateOf(timestamp: Element, name: 'Created' | 'Expires'): Date {
  const nodes = selectElements(`u:${name}`, timestamp);
  const text = nodes.length === 1 ? (nodes[0].textContent ?? '').trim() : '';
  const date = new Date(text);
  if (!UTC_DATE_TIME.test(text) || Number.isNaN(date.getTime())) {
    throw badTimestamp(`wsu:${name} is missing or not a UTC dateTime`);
  }
  return date;
}

function badTimestamp(message: string): WsSecurityError {
  return new WsSecurityError('wsse.bad_timestamp', message);
}
