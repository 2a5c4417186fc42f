import type { Element } from '@xmldom/xmldom';
import { selectElements } from '@usi/ws-security';
import { SIM_ERROR, SimError } from '../errors/sim-error';

export const RST_ISSUE_ACTION = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue';
const ISSUE_REQUEST_TYPE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue';

export interface ActAsRequest {
  firstPartyAbn: string;
  secondPartyAbn: string;
  ssid: string;
}

export interface TokenRequest {
  appliesTo: string;
  tokenType?: string;
  lifetime?: { created: Date; expires: Date };
  actAs?: ActAsRequest;
}

/** Reads a WS-Trust 1.3 RequestSecurityToken body (with the optional trust2008:ActAs RelationshipToken). */
export function readTokenRequest(body: Element): TokenRequest {
  if (body.localName !== 'RequestSecurityToken' || body.namespaceURI !== 'http://docs.oasis-open.org/ws-sx/ws-trust/200512') {
    throw new SimError(SIM_ERROR.malformed, 'the Body must hold a trust:RequestSecurityToken');
  }
  const text = (expr: string): string | undefined => selectElements(expr, body)[0]?.textContent?.trim() || undefined;
  const requestType = text('trust:RequestType');
  if (requestType !== ISSUE_REQUEST_TYPE) throw new SimError(SIM_ERROR.malformed, 'RequestType must be Issue');
  const appliesTo = text('wsp:AppliesTo/a:EndpointReference/a:Address');
  if (!appliesTo) throw new SimError(SIM_ERROR.malformed, 'AppliesTo/EndpointReference/Address is required');
  const tokenType = text('trust:TokenType');
  const lifetime = readLifetime(text('trust:Lifetime/u:Created'), text('trust:Lifetime/u:Expires'));
  const actAsElement = selectElements('trust2008:ActAs', body)[0];
  return {
    appliesTo,
    ...(tokenType ? { tokenType } : {}),
    ...(lifetime ? { lifetime } : {}),
    ...(actAsElement ? { actAs: readActAs(actAsElement) } : {}),
  };
}

function readLifetime(created?: string, expires?: string): TokenRequest['lifetime'] {
  if (!created && !expires) return undefined;
  const lifetime = { created: new Date(created ?? ''), expires: new Date(expires ?? '') };
  if (Number.isNaN(lifetime.created.getTime()) || Number.isNaN(lifetime.expires.getTime()) || lifetime.expires <= lifetime.created) {
    throw new SimError(SIM_ERROR.malformed, 'Lifetime needs Created before Expires');
  }
  return lifetime;
}

/** Attributes may be v13-qualified (PHP/C# samples) or not (Java samples); both are accepted. */
function readActAs(actAs: Element): ActAsRequest {
  const attr = (el: Element | undefined, name: string): string | undefined =>
    el?.getAttributeNS('http://vanguard.business.gov.au/2016/03', name) || el?.getAttribute(name) || undefined;
  const token = selectElements('v13:RelationshipToken', actAs)[0];
  const relationship = token && selectElements('v13:Relationship', token)[0];
  const ssidAttribute = relationship && selectElements('v13:Attribute', relationship).find((a) => attr(a, 'Name') === 'SSID');
  const firstPartyAbn = attr(token && selectElements('v13:FirstParty', token)[0], 'Value');
  const secondPartyAbn = attr(token && selectElements('v13:SecondParty', token)[0], 'Value');
  const ssid = attr(ssidAttribute, 'Value');
  if (!relationship || attr(relationship, 'Type') !== 'OSPfor' || !firstPartyAbn || !secondPartyAbn || !ssid) {
    throw new SimError(SIM_ERROR.malformed, 'ActAs needs a RelationshipToken of Type OSPfor with FirstParty, SecondParty and SSID');
  }
  return { firstPartyAbn, secondPartyAbn, ssid };
}
