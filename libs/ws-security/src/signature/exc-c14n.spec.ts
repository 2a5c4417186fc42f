import type { Element } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { codeOf } from '../testing/expect-code';
import { parseXml } from '../xml/parse-xml';
import { excC14n } from './exc-c14n';

/** xml-crypto's implementation is the reference: the receiver (our simulator, and xmlsec1 in its own spec) uses it. */
function reference(element: Element): string {
  return new ExclusiveCanonicalization().process(element as unknown as globalThis.Element, {}).toString();
}

function firstWithId(xml: string): Element {
  const doc = parseXml(xml);
  const stack: Element[] = [doc.documentElement!];
  while (stack.length) {
    const el = stack.shift()!;
    if (el.getAttribute('mark') === 'x') return el;
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === c.ELEMENT_NODE) stack.push(c as Element);
  }
  throw new Error('no marked element');
}

describe('excC14n', () => {
  it.each([
    ['only visibly used prefixes, sorted, attributes by namespace then name', `<r xmlns:a="urn:a" xmlns:b="urn:b" xmlns:z="urn:z"><a:e mark="x" z:q="1" b:p="2" c="3" a:o="4"><b:c/></a:e></r>`],
    ['a declaration is not repeated under an output ancestor', `<a:r xmlns:a="urn:a"><a:e mark="x"><a:c><a:d a:x="1"/></a:c></a:e></a:r>`],
    ['a redeclared prefix is rendered again', `<r xmlns:a="urn:a"><a:e mark="x"><a:c xmlns:a="urn:other"/></a:e></r>`],
    ['default namespace in and out', `<r xmlns="urn:d"><e mark="x"><c xmlns=""><d xmlns="urn:d2"/></c></e></r>`],
    ['no-namespace apex under a default namespace', `<r xmlns="urn:d"><e xmlns="" mark="x"><c/></e></r>`],
    ['text and attribute escaping, CDATA, comments dropped', `<r><e mark="x" v="a&amp;b&lt;c&quot;d&#9;e&#10;f&#13;g&gt;">1 &amp; 2 &lt; 3 &gt; 0 "q" &#13;<![CDATA[<x>&]]><!-- gone --></e></r>`],
    ['xml: attributes', `<r xml:lang="en"><e mark="x" xml:space="preserve"><c xml:lang="de"/></e></r>`],
    ['self-closed empty elements and whitespace', `<r><e mark="x">\n  <a   b = "1" />\t<c></c>\n</e></r>`],
    [
      'the signed WS-Security header elements',
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing" ' +
        'xmlns:u="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><s:Header>' +
        '<a:To s:mustUnderstand="1" u:Id="_1" mark="x">https://x.example/a?b=1&amp;c=2</a:To></s:Header></s:Envelope>',
    ],
  ])('matches xml-crypto: %s', (_what, xml) => {
    const el = firstWithId(xml);
    expect(excC14n(el)).toBe(reference(el));
  });

  it('refuses a processing instruction, which the verifying side could not canonicalise either', () => {
    expect(codeOf(() => excC14n(firstWithId('<r><e mark="x"><?pi data?></e></r>')))).toBe('wsse.unsupported_algorithm');
  });

  it('renders the header To element exactly as exclusive c14n prescribes', () => {
    const el = firstWithId(`<s:E xmlns:s="urn:s" xmlns:u="urn:u" xmlns:a="urn:a"><a:To mark="x" s:m="1" u:Id="_1">t</a:To></s:E>`);
    expect(excC14n(el)).toBe('<a:To xmlns:a="urn:a" xmlns:s="urn:s" xmlns:u="urn:u" mark="x" s:m="1" u:Id="_1">t</a:To>');
  });
});
