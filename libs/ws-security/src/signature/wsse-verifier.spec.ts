import { codeOf } from '../testing/expect-code';
import { NS } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { elementWithId } from './wsse-verifier';

describe('elementWithId', () => {
  const doc = parseXml(
    `<r xmlns:u="${NS.wsu}"><a u:Id="_0"/><b ID="_1"/><c id="_1"/><d Id="_2"><e u:Id="_3"/></d><f other="_4"/></r>`,
  );

  it('finds the single element carrying the Id in any Id-like attribute', () => {
    expect(elementWithId(doc, '_0').localName).toBe('a');
    expect(elementWithId(doc, '_2').localName).toBe('d');
    expect(elementWithId(doc, '_3').localName).toBe('e');
  });

  it('refuses ambiguous and unknown Ids, and ignores attributes that are not Ids', () => {
    expect(codeOf(() => elementWithId(doc, '_1'))).toBe('wsse.bad_signature');
    expect(codeOf(() => elementWithId(doc, '_4'))).toBe('wsse.bad_signature');
  });
});
