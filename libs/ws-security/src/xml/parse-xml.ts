import { DOMParser, type Document } from '@xmldom/xmldom';
import { WsSecurityError } from '../errors/ws-security.error';
import { nestingDepthExceeds } from './nesting-depth';

export const DEFAULT_MAX_XML_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_XML_DEPTH = 256;

export interface ParseXmlOptions {
  maxBytes?: number;
  maxDepth?: number;
  /** When given, the document element must have this namespace and local name (`xml.unexpected_root`). */
  expectRoot?: { namespace: string; localName: string };
}

// No SOAP message in this protocol has a DTD, so refusing any DTD removes entity expansion (billion laughs) and
// external entity resolution (XXE) outright instead of relying on the parser's handling of them.
const DTD_MARKER = /<!(DOCTYPE|ENTITY)/i;

/** Parses untrusted XML defensively; every refusal is a {@link WsSecurityError} with an `xml.*` code. */
export function parseXml(xml: string | Buffer, options: ParseXmlOptions = {}): Document {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const byteLength = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (byteLength > maxBytes) {
    throw new WsSecurityError('xml.too_large', `XML document exceeds ${maxBytes} bytes`, { byteLength, maxBytes });
  }
  const text = (typeof xml === 'string' ? xml : xml.toString('utf8')).replace(/^\uFEFF/, '');
  if (DTD_MARKER.test(text)) {
    throw new WsSecurityError('xml.doctype_forbidden', 'XML document type declarations are not accepted');
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
  if (nestingDepthExceeds(text, maxDepth)) {
    throw new WsSecurityError('xml.too_deep', `XML elements are nested deeper than ${maxDepth}`, { maxDepth });
  }
  const doc = parseStrict(text);
  if (options.expectRoot) checkRoot(doc, options.expectRoot);
  return doc;
}

function parseStrict(text: string): Document {
  if (text.trim() === '') throw new WsSecurityError('xml.malformed', 'XML document is empty');
  // xmldom only throws on fatal errors by default; warnings and errors (undefined entity, trailing content) must
  // stop parsing too. It wraps whatever onError throws, so the first report is kept for the message.
  let firstReport: string | undefined;
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (level, message) => {
        firstReport ??= `${level}: ${firstLine(message)}`;
        throw new Error(firstReport);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    const reason = firstReport ?? firstLine(err instanceof Error ? err.message : String(err));
    throw new WsSecurityError('xml.malformed', `XML is not well-formed (${reason})`);
  }
  if (!doc.documentElement) throw new WsSecurityError('xml.malformed', 'XML document has no root element');
  return doc;
}

function checkRoot(doc: Document, expected: { namespace: string; localName: string }): void {
  const root = doc.documentElement!;
  if (root.namespaceURI !== expected.namespace || root.localName !== expected.localName) {
    throw new WsSecurityError('xml.unexpected_root', `Expected root element {${expected.namespace}}${expected.localName}`, {
      namespace: root.namespaceURI,
      localName: root.localName,
    });
  }
}

// Parser messages can quote the offending input; keep only the first line so documents are not echoed into logs.
function firstLine(message: string): string {
  return message.split('\n', 1)[0].slice(0, 200);
}
