import type { Element, Node } from '@xmldom/xmldom';
import * as xpath from 'xpath';

export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsse11: 'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  trust: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
  trust2008: 'http://docs.oasis-open.org/ws-sx/ws-trust/200802',
  v13: 'http://vanguard.business.gov.au/2016/03',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  wsp: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  identity: 'http://schemas.xmlsoap.org/ws/2005/05/identity',
  usi: 'http://usi.gov.au/2022/ws',
  errorInfo: 'http://usi.gov.au/2020/ws',
} as const;

/** The prefixes bound in every `select` expression; they match the ones in the reference templates. */
export const XPATH_PREFIXES: Readonly<Record<string, string>> = {
  s: NS.soap12,
  a: NS.wsa,
  u: NS.wsu,
  o: NS.wsse,
  k: NS.wsse11,
  ds: NS.ds,
  xenc: NS.xenc,
  trust: NS.trust,
  trust2008: NS.trust2008,
  v13: NS.v13,
  saml: NS.saml2,
  wsp: NS.wsp,
  i: NS.identity,
  usi: NS.usi,
  err: NS.errorInfo,
};

/** `xpath.parse` (exported at run time, absent from the package's typings): compiles once on the shared parser. */
interface CompiledXPath {
  evaluate(options: { node: unknown; namespaces: Record<string, string> }): { toArray?: () => unknown[] };
}
const compileXPath = (xpath as unknown as { parse(expr: string): CompiledXPath }).parse;

/**
 * Expressions come from code (a few dozen, some templated with element names), so they are compiled once each.
 * `xpath.select`/`useNamespaces` build a new parser, with its parse tables, on every call: that was a tenth of
 * everything the gateway allocated per USI request.
 */
const compiled = new Map<string, CompiledXPath>();
const MAX_COMPILED = 512;

function compiledXPath(expr: string): CompiledXPath {
  let found = compiled.get(expr);
  if (!found) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    found = compileXPath(expr);
    compiled.set(expr, found);
  }
  return found;
}

const namespaces = { ...XPATH_PREFIXES };

/** Nodes in document order; an expression that does not yield a node-set (`count(…)`) selects nothing. */
export function select(expr: string, node: Node): Node[] {
  const result = compiledXPath(expr).evaluate({ node, namespaces });
  return typeof result.toArray === 'function' ? (result.toArray() as Node[]) : [];
}

export function selectOne(expr: string, node: Node): Node | undefined {
  return select(expr, node)[0];
}

export function selectElements(expr: string, node: Node): Element[] {
  return select(expr, node).filter((n): n is Element => n.nodeType === n.ELEMENT_NODE);
}
