import type { Document, Element } from '@xmldom/xmldom';
import type { SignedXml } from 'xml-crypto';
import { WsSecurityError } from '../errors/ws-security.error';
import { NS, selectElements } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { EXC_C14N } from './algorithms';

const SECURITY_XPATH = `/*[local-name()='Envelope']/*[local-name()='Header']/*[local-name()='Security' and namespace-uri()='${NS.wsse}']`;

/**
 * Adds references to the `u:Id`-carrying elements and appends the `ds:Signature` as the last child of
 * `o:Security`. Returns xml-crypto's own serialisation: the bytes that were digested are the bytes to send.
 */
export function signWsse(xml: string, sig: SignedXml, referenceIds: readonly string[], digestAlgorithm: string): string {
  if (referenceIds.length === 0) throw new WsSecurityError('wsse.reference_not_found', 'Nothing to sign');
  const doc = parseXml(xml);
  const security = securityHeaderOf(doc);
  for (const id of referenceIds) {
    if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw new WsSecurityError('wsse.reference_not_found', `Invalid Id "${id}"`);
    const targets = selectElements(`//*[@u:Id='${id}']`, doc);
    if (targets.length !== 1) {
      throw new WsSecurityError('wsse.reference_not_found', `Expected one element with u:Id "${id}"`, {
        id,
        found: targets.length,
      });
    }
    sig.addReference({
      xpath: `//*[@*[local-name()='Id' and namespace-uri()='${NS.wsu}']='${id}']`,
      transforms: [EXC_C14N],
      digestAlgorithm,
    });
  }
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: SECURITY_XPATH, action: 'append' },
    existingPrefixes: inScopePrefixes(security),
  });
  return sig.getSignedXml();
}

function securityHeaderOf(doc: Document): Element {
  const headers = selectElements('/s:Envelope/s:Header/o:Security', doc);
  if (headers.length !== 1) {
    throw new WsSecurityError('wsse.reference_not_found', 'Expected exactly one o:Security header to sign into');
  }
  return headers[0];
}

// xml-crypto parses the KeyInfo content on its own before grafting it in; the prefixes it uses (o:, and whatever a
// copied STR carries) must be declared for that parse, and then resolve to the envelope's own declarations.
function inScopePrefixes(element: Element): Record<string, string> {
  const prefixes: Record<string, string> = {};
  for (let node: Element | null = element; node; node = node.parentNode as Element | null) {
    if (node.nodeType !== node.ELEMENT_NODE) break;
    for (const attr of Array.from(node.attributes)) {
      const prefix = attr.prefix === 'xmlns' ? attr.localName : null;
      if (prefix && !(prefix in prefixes)) prefixes[prefix] = attr.value;
    }
  }
  return prefixes;
}
