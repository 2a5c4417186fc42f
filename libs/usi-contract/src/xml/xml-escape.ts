import { UsiError } from '../errors/usi-error';

/** Characters XML 1.0 cannot carry at all, even escaped. */
export const XML_ILLEGAL_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Escapes text and attribute content; CR is kept as a reference so a parser does not normalise it away. */
export function escapeXml(value: string): string {
  if (XML_ILLEGAL_CHAR.test(value)) {
    throw new UsiError('xml.invalid_character', 'value contains a character that XML 1.0 cannot represent');
  }
  return value.replace(/[&<>"\r]/g, (ch) => ESCAPES[ch]);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };
