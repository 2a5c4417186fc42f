import type { Document, Element } from '@xmldom/xmldom';
import { readTimestamp, selectElements } from '@usi/ws-security';
import { SIM_ERROR, SimError } from '../errors/sim-error';

/** The parts of an incoming SOAP 1.2 / WS-Addressing / WS-Security envelope both endpoints check. */
export interface IncomingEnvelope {
  action: string;
  to: string;
  toElement: Element;
  messageId?: string;
  security: Element;
  timestamp: { element: Element; created: Date; expires: Date };
  body: Element;
}

/** WCF's default MaxClockSkew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export function readEnvelope(doc: Document): IncomingEnvelope {
  const one = (expr: string, what: string): Element => {
    const found = selectElements(expr, doc);
    if (found.length !== 1) throw new SimError(SIM_ERROR.malformed, `expected exactly one ${what}`);
    return found[0]!;
  };
  const header = one('/s:Envelope/s:Header', 'SOAP 1.2 Header');
  const action = one('/s:Envelope/s:Header/a:Action', 'a:Action').textContent?.trim() ?? '';
  const toElement = one('/s:Envelope/s:Header/a:To', 'a:To');
  const security = one('/s:Envelope/s:Header/o:Security', 'wsse:Security');
  let timestamp: IncomingEnvelope['timestamp'];
  try {
    timestamp = readTimestamp(doc);
  } catch (error) {
    throw new SimError(SIM_ERROR.badTimestamp, error instanceof Error ? error.message : 'unreadable wsu:Timestamp');
  }
  // Layout Strict: the Timestamp comes first in the Security header.
  if (selectElements('*', security)[0] !== timestamp.element) {
    throw new SimError(SIM_ERROR.badTimestamp, 'wsu:Timestamp must be the first child of wsse:Security');
  }
  const bodies = selectElements('/s:Envelope/s:Body/*', doc);
  if (bodies.length !== 1) throw new SimError(SIM_ERROR.malformed, 'the SOAP Body must hold exactly one element');
  const messageId = selectElements('a:MessageID', header)[0]?.textContent?.trim();
  return {
    action,
    to: toElement.textContent?.trim() ?? '',
    toElement,
    ...(messageId ? { messageId } : {}),
    security,
    timestamp,
    body: bodies[0]!,
  };
}

/** Created may be at most MAX_CLOCK_SKEW either side of now; an expired Timestamp is refused. */
export function checkTimestamp(timestamp: IncomingEnvelope['timestamp'], now: Date): void {
  const drift = timestamp.created.getTime() - now.getTime();
  if (Math.abs(drift) > MAX_CLOCK_SKEW_MS) {
    throw new SimError(SIM_ERROR.badTimestamp, `Timestamp Created is ${Math.round(drift / 1000)} s away from the service clock`);
  }
  if (timestamp.expires.getTime() <= now.getTime()) throw new SimError(SIM_ERROR.badTimestamp, 'Timestamp has expired');
}
