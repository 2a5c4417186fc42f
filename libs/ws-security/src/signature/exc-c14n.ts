import type { Attr, Element, Node } from '@xmldom/xmldom';
import { WsSecurityError } from '../errors/ws-security.error';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * Exclusive XML Canonicalization 1.0 without comments and without InclusiveNamespaces (the only form the ATO
 * services use) of one element subtree of a parsed document. Signing runs this on the elements it references
 * instead of letting xml-crypto re-parse and re-serialise the whole message, which cost over a millisecond per call.
 */
export function excC14n(element: Element): string {
  const out: string[] = [];
  writeElement(element, new Map(), out);
  return out.join('');
}

/** `rendered`: prefix → namespace as declared by the nearest output ancestor ('' is the default namespace). */
function writeElement(el: Element, rendered: ReadonlyMap<string, string>, out: string[]): void {
  const attrs: Attr[] = [];
  const used = new Map<string, string>([[el.prefix ?? '', el.namespaceURI ?? '']]);
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (attr.namespaceURI === XMLNS_NS || attr.nodeName === 'xmlns') continue;
    attrs.push(attr);
    if (attr.prefix && attr.prefix !== 'xml') used.set(attr.prefix, attr.namespaceURI ?? '');
  }
  const declarations: [string, string][] = [];
  let scope = rendered;
  for (const [prefix, uri] of used) {
    if ((rendered.get(prefix) ?? '') === uri) continue;
    declarations.push([prefix, uri]);
  }
  if (declarations.length > 0) {
    const next = new Map(rendered);
    for (const [prefix, uri] of declarations) next.set(prefix, uri);
    scope = next;
  }
  declarations.sort(([a], [b]) => compare(a, b));
  attrs.sort((a, b) => compare(a.namespaceURI ?? '', b.namespaceURI ?? '') || compare(a.localName ?? '', b.localName ?? ''));

  out.push('<', el.nodeName);
  for (const [prefix, uri] of declarations) out.push(prefix ? ` xmlns:${prefix}="` : ' xmlns="', escapeAttr(uri), '"');
  for (const attr of attrs) out.push(' ', attr.nodeName, '="', escapeAttr(attr.value), '"');
  out.push('>');
  for (let child: Node | null = el.firstChild; child; child = child.nextSibling) writeNode(child, scope, out);
  out.push('</', el.nodeName, '>');
}

function writeNode(node: Node, rendered: ReadonlyMap<string, string>, out: string[]): void {
  switch (node.nodeType) {
    case node.ELEMENT_NODE:
      return writeElement(node as Element, rendered, out);
    case node.TEXT_NODE:
    case node.CDATA_SECTION_NODE:
      out.push(escapeText(node.nodeValue ?? ''));
      return;
    case node.COMMENT_NODE:
      return;
    default:
      // Processing instructions included: xml-crypto, which verifies on the other side, cannot canonicalise them.
      throw new WsSecurityError('wsse.unsupported_algorithm', `Cannot canonicalise a node of type ${node.nodeType}`);
  }
}

/** C14N orders by Unicode code point, not by locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapeText(text: string): string {
  return /[&<>\r]/.test(text)
    ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;')
    : text;
}

function escapeAttr(value: string): string {
  return /[&<"\t\n\r]/.test(value)
    ? value
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/"/g, '&quot;')
        .replace(/\t/g, '&#x9;')
        .replace(/\n/g, '&#xA;')
        .replace(/\r/g, '&#xD;')
    : value;
}
