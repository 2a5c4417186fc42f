import type { Document, Element } from '@xmldom/xmldom';
import { XMLSerializer } from '@xmldom/xmldom';
import type { SignedXml } from 'xml-crypto';
import { WsSecurityError } from '../errors/ws-security.error';
import { selectElements } from '../xml/namespaces';
import { EXC_C14N } from './algorithms';

export interface VerifiedReferences {
  /** The Ids the signature covers, in SignedInfo order. */
  signedIds: string[];
  /** Each signed Id's element in `doc`, so callers can check *what* was signed (Timestamp, a:To …). */
  signedElements: Map<string, Element>;
}

export interface WsseSignatureParts {
  security: Element;
  signature: Element;
  signedInfo: Element;
}

const ID_ATTRIBUTE_NAMES = new Set(['Id', 'ID', 'id']);

/**
 * Locates the one `ds:Signature` of the message, which must sit directly in the one `o:Security` header. Any other
 * Signature anywhere in the document is refused rather than ignored, because a second one is how wrapping attacks
 * usually start.
 */
export function findWsseSignature(doc: Document): WsseSignatureParts {
  const securities = selectElements('/s:Envelope/s:Header/o:Security', doc);
  const signatures = selectElements('//ds:Signature', doc);
  if (securities.length === 0 || signatures.length === 0) {
    throw new WsSecurityError('wsse.missing_signature', 'No ds:Signature in a wsse:Security header');
  }
  if (securities.length > 1) throw bad('more than one wsse:Security header');
  if (signatures.length > 1) throw bad('more than one ds:Signature in the message');
  const [security] = securities;
  const [signature] = signatures;
  if (signature.parentNode !== security) throw bad('ds:Signature is not a child of wsse:Security');
  const signedInfos = selectElements('ds:SignedInfo', signature);
  if (signedInfos.length !== 1) throw bad('ds:Signature must have exactly one ds:SignedInfo');
  return { security, signature, signedInfo: signedInfos[0] };
}

/**
 * Checks the algorithms named in SignedInfo against what this protocol allows, before any cryptography runs, then
 * resolves each Reference to exactly one element of `doc` (duplicate Ids are refused: signature wrapping).
 */
export function checkSignedInfo(
  doc: Document,
  parts: WsseSignatureParts,
  allowed: { signatureMethods: readonly string[]; digestMethod: string },
): VerifiedReferences {
  const { signedInfo, signature } = parts;
  const c14n = selectElements('ds:CanonicalizationMethod', signedInfo);
  if (c14n.length !== 1 || c14n[0].getAttribute('Algorithm') !== EXC_C14N || c14n[0].firstChild) {
    throw unsupported('CanonicalizationMethod must be exclusive C14N without parameters');
  }
  const methods = selectElements('ds:SignatureMethod', signedInfo);
  if (methods.length !== 1 || !allowed.signatureMethods.includes(methods[0].getAttribute('Algorithm') ?? '')) {
    throw unsupported(`SignatureMethod must be one of ${allowed.signatureMethods.join(', ')}`);
  }
  // HMACOutputLength would let a truncated MAC through.
  if (methods[0].firstChild) throw unsupported('SignatureMethod parameters are not accepted');

  const references = selectElements('ds:Reference', signedInfo);
  if (references.length === 0) throw bad('SignedInfo has no Reference');
  const signedIds: string[] = [];
  const signedElements = new Map<string, Element>();
  for (const reference of references) {
    checkReferenceAlgorithms(reference, allowed.digestMethod);
    const uri = reference.getAttribute('URI') ?? '';
    const id = uri.startsWith('#') ? uri.slice(1) : '';
    if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw bad('Reference URI must be a same-document #Id');
    if (signedElements.has(id)) throw bad('the same Id is referenced twice');
    const target = elementWithId(doc, id);
    if (target === signature || isInside(target, signature)) throw bad('a Reference points into the Signature');
    signedIds.push(id);
    signedElements.set(id, target);
  }
  return { signedIds, signedElements };
}

/** Runs xml-crypto's verification of digests and SignatureValue; any failure becomes `wsse.bad_signature`. */
export function runSignatureCheck(doc: Document, signature: Element, sig: SignedXml): void {
  let valid: boolean;
  try {
    sig.loadSignature(signature as unknown as globalThis.Node);
    valid = sig.checkSignature(new XMLSerializer().serializeToString(doc));
  } catch {
    valid = false;
  }
  if (!valid) throw bad('signature or digest does not verify');
}

/** The one element carrying `id` in any Id-like attribute (the attribute names xml-crypto resolves, any namespace). */
export function elementWithId(doc: Document, id: string): Element {
  const matches = elementsWithId(doc, id);
  if (matches.length === 0) throw bad(`no element has Id "${id}"`);
  if (matches.length > 1) throw bad(`more than one element has Id "${id}"`);
  return matches[0];
}

// An explicit walk: the xpath library's `//*` is an order of magnitude slower and this runs per reference.
export function elementsWithId(doc: Document, id: string): Element[] {
  const matches: Element[] = [];
  const stack: Element[] = doc.documentElement ? [doc.documentElement] : [];
  while (stack.length > 0) {
    const el = stack.pop()!;
    for (let i = 0; i < el.attributes.length; i++) {
      const attr = el.attributes.item(i)!;
      if (attr.value === id && ID_ATTRIBUTE_NAMES.has(attr.localName ?? '')) {
        matches.push(el);
        break;
      }
    }
    for (let child = el.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === child.ELEMENT_NODE) stack.push(child as Element);
    }
  }
  return matches;
}

function checkReferenceAlgorithms(reference: Element, digestMethod: string): void {
  const transforms = selectElements('ds:Transforms/ds:Transform', reference);
  if (transforms.some((t) => t.getAttribute('Algorithm') !== EXC_C14N || t.firstChild)) {
    throw unsupported('only the exclusive C14N transform is accepted');
  }
  const digests = selectElements('ds:DigestMethod', reference);
  if (digests.length !== 1 || digests[0].getAttribute('Algorithm') !== digestMethod) {
    throw unsupported(`DigestMethod must be ${digestMethod}`);
  }
}

function isInside(node: Element, ancestor: Element): boolean {
  for (let n = node.parentNode; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

export function bad(reason: string): WsSecurityError {
  return new WsSecurityError('wsse.bad_signature', `Signature rejected: ${reason}`);
}

function unsupported(reason: string): WsSecurityError {
  return new WsSecurityError('wsse.unsupported_algorithm', `Signature rejected: ${reason}`);
}
