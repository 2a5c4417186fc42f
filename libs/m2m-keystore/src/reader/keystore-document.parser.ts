import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { KeystoreError } from '../keystore.error';

export const CREDENTIAL_STORE_NS = 'http://auth.abr.gov.au/credential/xsd/SBRCredentialStore';

/** Real stores are ~20 KB; anything this large is not a keystore and is refused before parsing. */
export const MAX_KEYSTORE_BYTES = 2 * 1024 * 1024;

/** Text content of one `<credential>` element, not yet decoded. */
export interface RawCredential {
  id: string;
  abn: string;
  legalName: string;
  serialNumber: string;
  publicCertificate: string;
  protectedPrivateKey: string;
}

const select = xpath.useNamespaces({ c: CREDENTIAL_STORE_NS });

function malformed(reason: string): KeystoreError {
  return new KeystoreError('keystore.malformed', `Keystore is malformed: ${reason}`, { reason });
}

function decodeInput(xml: string | Buffer): string {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (size > MAX_KEYSTORE_BYTES) throw malformed(`larger than ${MAX_KEYSTORE_BYTES} bytes`);
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseDocument(text: string): Document {
  // Entity expansion and external entities are the classic XML attacks; a keystore never needs a DTD.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed('DOCTYPE/ENTITY declarations are not allowed');
  let doc: Document;
  try {
    const parser = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    });
    doc = parser.parseFromString(text, 'text/xml') as unknown as Document;
  } catch {
    throw malformed('not well-formed XML');
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'credentialStore' || root.namespaceURI !== CREDENTIAL_STORE_NS) {
    throw malformed(`root element is not {${CREDENTIAL_STORE_NS}}credentialStore`);
  }
  return doc;
}

function childText(credential: Element, name: string): string | undefined {
  const node = select(`c:${name}`, credential as unknown as Node, true) as Node | null;
  return node ? (node.textContent ?? '').trim() : undefined;
}

function requiredText(credential: Element, id: string, name: string): string {
  const value = childText(credential, name);
  if (!value) throw malformed(`credential ${id} has no <${name}>`);
  return value;
}

function readCredential(credential: Element): RawCredential {
  const id = credential.getAttribute('id')?.trim();
  if (!id) throw malformed('a <credential> has no id attribute');
  return {
    id,
    abn: requiredText(credential, id, 'abn'),
    legalName: childText(credential, 'legalName') ?? childText(credential, 'name1') ?? '',
    serialNumber: childText(credential, 'serialNumber') ?? '',
    publicCertificate: requiredText(credential, id, 'publicCertificate'),
    protectedPrivateKey: childText(credential, 'protectedPrivateKey') ?? '',
  };
}

/** Parses a `credentialStore` document (namespace-aware, order- and whitespace-independent) into raw credentials. */
export function parseKeystoreDocument(xml: string | Buffer): RawCredential[] {
  const doc = parseDocument(decodeInput(xml));
  const nodes = select('/c:credentialStore/c:credentials/c:credential', doc as unknown as Node) as Element[];
  if (nodes.length === 0) throw malformed('no <credential> elements');
  const credentials = nodes.map(readCredential);
  const ids = new Set(credentials.map((c) => c.id));
  if (ids.size !== credentials.length) throw malformed('duplicate credential ids');
  return credentials;
}
