import { NS, select, selectElements } from './namespaces';
import { parseXml } from './parse-xml';

const doc = (body: string) =>
  parseXml(`<s:Envelope xmlns:s="${NS.soap12}" xmlns:o="${NS.wsse}" xmlns:u="${NS.wsu}"><s:Header>${body}</s:Header><s:Body/></s:Envelope>`);

describe('select', () => {
  it('returns nodes in document order, by namespace rather than by the prefix the document uses', () => {
    const d = parseXml(
      `<x:Envelope xmlns:x="${NS.soap12}"><x:Header><w:Security xmlns:w="${NS.wsse}"><t:Timestamp xmlns:t="${NS.wsu}" t:Id="_0"/></w:Security>` +
        `<w:Security xmlns:w="${NS.wsse}"/></x:Header></x:Envelope>`,
    );
    const found = selectElements('/s:Envelope/s:Header/o:Security', d);
    expect(found).toHaveLength(2);
    expect(found[0].firstChild).not.toBeNull();
    expect(found[1].firstChild).toBeNull();
    expect(selectElements('//u:Timestamp', d)[0].getAttributeNS(NS.wsu, 'Id')).toBe('_0');
  });

  it('answers each document on its own when the same expression is used again', () => {
    const one = doc('<o:Security><u:Timestamp u:Id="a"/></o:Security>');
    const two = doc('<o:Security><u:Timestamp u:Id="b"/><u:Timestamp u:Id="c"/></o:Security>');
    const ids = (d: ReturnType<typeof doc>) => selectElements('/s:Envelope/s:Header/o:Security/u:Timestamp', d).map((e) => e.getAttributeNS(NS.wsu, 'Id'));
    expect(ids(one)).toEqual(['a']);
    expect(ids(two)).toEqual(['b', 'c']);
    expect(ids(one)).toEqual(['a']);
  });

  it('does not match an unprefixed step against a namespaced element, and selects nothing for a non-node-set expression', () => {
    const d = doc('<o:Security/>');
    expect(select('/Envelope', d)).toEqual([]);
    expect(select('count(//o:Security)', d)).toEqual([]);
  });

  it('refuses a prefix it does not bind', () => {
    expect(() => select('//nope:Security', doc('<o:Security/>'))).toThrow();
  });
});
