import type { Element, Node } from '@xmldom/xmldom';
import { XSI_NS } from '../constants';
import { UsiError } from '../errors/usi-error';
import type { FieldSpec, ObjectSpec, ScalarSpec, TypeSpec, UnionSpec } from '../schema/field-spec';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

type Json = Record<string, unknown>;

/**
 * Reads `element` (already known to be the root) against `spec`. Elements match on namespace URI + local name, any
 * prefix; order is not enforced so that hand-written bodies (e.g. the official templates) still decode, but unknown,
 * repeated or missing required elements are refused.
 */
export function decodeRoot(element: Element, namespace: string, spec: ObjectSpec): unknown {
  return decodeObject(element, namespace, spec, element.localName ?? element.nodeName);
}

/** A root element that is itself the list wrapper, e.g. `ArrayOfErrorInfo/ErrorInfo+`. */
export function decodeListRoot(element: Element, namespace: string, item: string, spec: ObjectSpec): unknown[] {
  const field: FieldSpec = { key: item, xml: item, type: spec, optional: false, nillable: false, list: { item, minOccurs: 1 } };
  const items = decodeField(element, namespace, field, element.localName ?? element.nodeName) as unknown[];
  if (items.length === 0) {
    throw unexpected(`${element.localName}: needs at least one ${item}`);
  }
  return items;
}

function decodeObject(element: Element, ns: string, spec: ObjectSpec, path: string, preset: Json = {}): Json {
  const result: Json = { ...preset };
  const fieldsByName = new Map(spec.fields.map((f) => [f.xml, f]));
  for (const child of childElements(element, path)) {
    const field = child.namespaceURI === ns ? fieldsByName.get(child.localName ?? '') : undefined;
    if (!field) {
      throw unexpected(`${path}: unexpected element {${child.namespaceURI ?? ''}}${child.localName}`);
    }
    if (field.key in result) {
      throw unexpected(`${path}: element ${field.xml} appears more than once`);
    }
    result[field.key] = decodeField(child, ns, field, `${path}/${field.xml}`);
  }
  for (const field of spec.fields) {
    if (!field.optional && !(field.key in result)) {
      throw unexpected(`${path}: missing required element ${field.xml}`);
    }
  }
  return result;
}

function decodeField(element: Element, ns: string, field: FieldSpec, path: string): unknown {
  if (field.nillable && isNil(element)) {
    return null;
  }
  if (!field.list) {
    return decodeValue(element, ns, field.type, path);
  }
  const items = childElements(element, path);
  for (const item of items) {
    if (item.namespaceURI !== ns || item.localName !== field.list.item) {
      throw unexpected(`${path}: expected only ${field.list.item} elements, found ${item.localName}`);
    }
  }
  return items.map((item, i) => decodeValue(item, ns, field.type, `${path}/${field.list!.item}[${i + 1}]`));
}

function decodeValue(element: Element, ns: string, type: TypeSpec, path: string): unknown {
  switch (type.kind) {
    case 'object':
      return decodeObject(element, ns, type, path);
    case 'union':
      return decodeUnion(element, ns, type, path);
    default:
      return decodeScalar(textOf(element, path), type, path);
  }
}

function decodeUnion(element: Element, ns: string, type: UnionSpec, path: string): Json {
  const qname = element.getAttributeNS(XSI_NS, 'type');
  if (!qname) {
    throw unexpected(`${path}: xsi:type is missing`);
  }
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? null : qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  const entry = Object.entries(type.variants).find(([, v]) => v.xsiType === local);
  if (!entry || namespaceOfPrefix(element, prefix) !== ns) {
    throw unexpected(`${path}: unsupported xsi:type ${qname}`);
  }
  const [kind, variant] = entry;
  return decodeObject(element, ns, variant.spec, path, { [type.discriminator]: kind });
}

function decodeScalar(text: string, type: ScalarSpec, path: string): unknown {
  switch (type.kind) {
    case 'int': {
      const trimmed = text.trim();
      if (!/^[+-]?\d{1,10}$/.test(trimmed)) {
        throw unexpected(`${path}: not an integer`);
      }
      return Number(trimmed);
    }
    case 'boolean': {
      const trimmed = text.trim();
      if (trimmed === 'true' || trimmed === '1') return true;
      if (trimmed === 'false' || trimmed === '0') return false;
      throw unexpected(`${path}: not a boolean`);
    }
    case 'date':
    case 'dateTime':
      // xs:date and xs:dateTime collapse whitespace; strings keep theirs.
      return text.trim();
    default:
      return text;
  }
}

/** xmldom 0.9 keys the default namespace under '' and answers null for lookupNamespaceURI(null). */
function namespaceOfPrefix(element: Element, prefix: string | null): string | null {
  return element.lookupNamespaceURI(prefix) ?? (prefix === null ? element.lookupNamespaceURI('') : null);
}

function isNil(element: Element): boolean {
  const nil = element.getAttributeNS(XSI_NS, 'nil');
  return nil === 'true' || nil === '1';
}

function childElements(element: Element, path: string): Element[] {
  const elements: Element[] = [];
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) {
      elements.push(node as Element);
    } else if (isText(node) && (node.nodeValue ?? '').trim() !== '') {
      throw unexpected(`${path}: unexpected text content`);
    }
  }
  return elements;
}

function textOf(element: Element, path: string): string {
  let text = '';
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) {
      throw unexpected(`${path}: expected a simple value, found element ${(node as Element).localName}`);
    }
    if (isText(node)) {
      text += node.nodeValue ?? '';
    }
  }
  return text;
}

function isText(node: Node): boolean {
  return node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE;
}

function unexpected(message: string): UsiError {
  return new UsiError('xml.unexpected_content', message);
}
