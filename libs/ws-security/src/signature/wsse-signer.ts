import { createHash } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { WsSecurityError } from '../errors/ws-security.error';
import { escapeXml } from '../xml/escape-xml';
import { NS, selectElements } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { DIGEST_SHA1, DIGEST_SHA256, EXC_C14N } from './algorithms';
import { excC14n } from './exc-c14n';
import { elementsWithId } from './wsse-verifier';

export interface WsseSignatureSpec {
  signatureMethod: string;
  digestMethod: typeof DIGEST_SHA1 | typeof DIGEST_SHA256;
  /** Computes the SignatureValue over the canonical SignedInfo bytes. */
  sign(canonicalSignedInfo: Buffer): Buffer;
  /** KeyInfo content, inserted verbatim; its prefixes must be in scope at `o:Security`. */
  keyInfoXml: string;
}

const DIGEST_HASH = { [DIGEST_SHA1]: 'sha1', [DIGEST_SHA256]: 'sha256' } as const;

/**
 * Signs the `u:Id`-carrying elements of a message we built and inserts the `ds:Signature` as the last child of
 * `o:Security`. The input is parsed once to canonicalise the referenced elements; the signature is then spliced into
 * the original string, so every byte outside it is sent exactly as built (and parsed here).
 */
export function signWsse(xml: string, referenceIds: readonly string[], spec: WsseSignatureSpec): string {
  if (referenceIds.length === 0) throw new WsSecurityError('wsse.reference_not_found', 'Nothing to sign');
  const doc = parseXml(xml);
  const security = securityHeaderOf(doc.documentElement!);
  const closing = `</${security.nodeName}>`;
  const insertAt = xml.indexOf(closing);
  if (insertAt === -1 || xml.indexOf(closing, insertAt + 1) !== -1) {
    throw new WsSecurityError('wsse.reference_not_found', 'Cannot find the single end tag of o:Security to sign into');
  }
  const references = referenceIds.map((id) => {
    const target = referencedElement(doc, id, security);
    const digest = createHash(DIGEST_HASH[spec.digestMethod]).update(excC14n(target)).digest('base64');
    return { id, digest };
  });
  const signedInfo = (canonical: boolean) => signedInfoXml(spec, references, canonical);
  const signatureValue = spec.sign(Buffer.from(signedInfo(true), 'utf8')).toString('base64');
  const dsDeclared = security.lookupNamespaceURI('ds') === NS.ds;
  const signature =
    `<ds:Signature${dsDeclared ? '' : ` xmlns:ds="${NS.ds}"`}>${signedInfo(false)}` +
    `<ds:SignatureValue>${signatureValue}</ds:SignatureValue><ds:KeyInfo>${spec.keyInfoXml}</ds:KeyInfo></ds:Signature>`;
  return xml.slice(0, insertAt) + signature + xml.slice(insertAt);
}

/**
 * SignedInfo in its exclusive-c14n form (what is signed) or as sent (ds declared on an ancestor, empty elements
 * self-closed); both parse to the same tree, so the receiver's canonical form is the signed one.
 */
function signedInfoXml(spec: WsseSignatureSpec, references: { id: string; digest: string }[], canonical: boolean): string {
  const empty = (name: string, algorithm: string) =>
    canonical ? `<ds:${name} Algorithm="${algorithm}"></ds:${name}>` : `<ds:${name} Algorithm="${algorithm}"/>`;
  return (
    `<ds:SignedInfo${canonical ? ` xmlns:ds="${NS.ds}"` : ''}>` +
    empty('CanonicalizationMethod', EXC_C14N) +
    empty('SignatureMethod', spec.signatureMethod) +
    references
      .map(
        ({ id, digest }) =>
          `<ds:Reference URI="#${escapeXml(id)}"><ds:Transforms>${empty('Transform', EXC_C14N)}</ds:Transforms>` +
          `${empty('DigestMethod', spec.digestMethod)}<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`,
      )
      .join('') +
    '</ds:SignedInfo>'
  );
}

function securityHeaderOf(root: Element): Element {
  const headers = selectElements('/s:Envelope/s:Header/o:Security', root);
  if (headers.length !== 1) {
    throw new WsSecurityError('wsse.reference_not_found', 'Expected exactly one o:Security header to sign into');
  }
  return headers[0];
}

/** The one element whose `u:Id` is `id`; the Id must be unambiguous in the way the verifier resolves Ids. */
function referencedElement(doc: Document, id: string, security: Element): Element {
  if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw new WsSecurityError('wsse.reference_not_found', `Invalid Id "${id}"`);
  const targets = elementsWithId(doc, id);
  if (targets.length !== 1 || targets[0].getAttributeNS(NS.wsu, 'Id') !== id) {
    throw new WsSecurityError('wsse.reference_not_found', `Expected one element with u:Id "${id}"`, { id, found: targets.length });
  }
  // Only exc-c14n is applied (no enveloped-signature transform), so a signed element must not contain the signature.
  for (let n: Element | null = security; n; n = n.parentNode as Element | null) {
    if (n === targets[0]) throw new WsSecurityError('wsse.reference_not_found', `u:Id "${id}" encloses o:Security`, { id });
  }
  return targets[0];
}
