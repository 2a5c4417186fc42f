import { DOMParser, type Element } from '@xmldom/xmldom';
import { USI_NS, XSI_NS } from '../constants';
import { USI_OPERATIONS } from '../operations/usi-operation';
import { SAMPLE_DVS_DOCUMENTS, SAMPLE_REQUESTS, SAMPLE_RESPONSES, sampleApplication } from '../testing/sample-messages';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './usi-codec';

const parse = (xml: string): Element => new DOMParser().parseFromString(xml, 'text/xml').documentElement!;

describe('usi codec', () => {
  describe.each(USI_OPERATIONS)('%s', (op) => {
    it('round-trips the request', () => {
      const xml = encodeRequest(op, SAMPLE_REQUESTS[op]);
      expect(xml.startsWith(`<${op} xmlns="${USI_NS}"`)).toBe(true);
      expect(decodeRequest(op, parse(xml))).toEqual(SAMPLE_REQUESTS[op]);
    });

    it('round-trips the response', () => {
      const xml = encodeResponse(op, SAMPLE_RESPONSES[op]);
      expect(xml.startsWith(`<${op}Response xmlns="${USI_NS}"`)).toBe(true);
      expect(decodeResponse(op, parse(xml))).toEqual(SAMPLE_RESPONSES[op]);
    });
  });

  it.each(SAMPLE_DVS_DOCUMENTS.map((doc) => [doc.documentType, doc] as const))(
    'round-trips a %s DVSDocument with its xsi:type',
    (_kind, doc) => {
      const request = { requestId: 'r', orgCode: 'VA1803', application: sampleApplication('1', doc) };
      const root = parse(encodeRequest('CreateUSI', request));
      const dvs = root.getElementsByTagNameNS(USI_NS, 'DVSDocument')[0];
      expect(dvs.getAttributeNS(XSI_NS, 'type')).toMatch(/^\w+Type$/);
      expect(decodeRequest('CreateUSI', root).application.dvsDocument).toEqual(doc);
    },
  );

  it('writes elements in XSD sequence order whatever the JSON key order', () => {
    const xml = encodeRequest('CreateUSI', {
      application: SAMPLE_REQUESTS.CreateUSI.application,
      orgCode: 'VA1803',
      requestId: 'r1',
    });
    expect(xml.indexOf('<RequestId>')).toBeLessThan(xml.indexOf('<OrgCode>'));
    expect(xml.indexOf('<OrgCode>')).toBeLessThan(xml.indexOf('<Application>'));
    const bulk = encodeRequest('BulkUpload', SAMPLE_REQUESTS.BulkUpload);
    expect(bulk.indexOf('<OrgCode>')).toBeLessThan(bulk.indexOf('<RequestId>'));
  });

  it('escapes markup characters in text', () => {
    const xml = encodeRequest('UpdateUSIContactDetails', SAMPLE_REQUESTS.UpdateUSIContactDetails);
    expect(xml).toContain('1 Rue &lt;de&gt; &quot;Paris&quot; &amp; Co\nFrance');
  });

  it('refuses characters XML cannot carry', () => {
    expect(() => encodeRequest('GetCountries', { orgCode: 'VA\u0001' })).toThrow(
      expect.objectContaining({ code: 'xml.invalid_character' }),
    );
  });

  it('refuses values of the wrong JS type instead of writing them', () => {
    const invalid = expect.objectContaining({ code: 'contract.invalid_value' });
    expect(() => encodeRequest('GetCountries', { orgCode: 5 } as never)).toThrow(invalid);
    expect(() => encodeRequest('BulkVerifyUSI', { ...SAMPLE_REQUESTS.BulkVerifyUSI, verifications: {} } as never)).toThrow(invalid);
    const application = { ...sampleApplication('1'), dvsDocument: { documentType: 'LibraryCard' } };
    expect(() => encodeRequest('CreateUSI', { requestId: 'r', orgCode: 'A', application } as never)).toThrow(invalid);
  });

  it('declares xmlns:xsi only when it is used', () => {
    expect(encodeRequest('VerifyUSI', SAMPLE_REQUESTS.VerifyUSI)).not.toContain('xmlns:xsi');
    expect(encodeRequest('CreateUSI', SAMPLE_REQUESTS.CreateUSI)).toContain(`xmlns:xsi="${XSI_NS}"`);
  });

  it('writes and reads nil for the nillable NonDvsDocumentTypeId', () => {
    const application = { ...sampleApplication('1'), nonDvsDocumentTypeId: null, nonDvsDocumentTypeOther: null };
    const xml = encodeRequest('CreateUSI', { requestId: 'r', orgCode: 'VA1803', application });
    expect(xml).toContain('<NonDvsDocumentTypeId xsi:nil="true"/>');
    expect(decodeRequest('CreateUSI', parse(xml)).application).toEqual(application);
  });

  describe('decoding', () => {
    const ns = `xmlns:u="${USI_NS}"`;

    it('accepts any prefix and prefixed xsi:type QNames', () => {
      const xml =
        `<u:UpdateUSIPersonalDetails ${ns} xmlns:i="${XSI_NS}"><u:OrgCode>VA1803</u:OrgCode><u:USI>BNGH7C75FN</u:USI>` +
        '<u:DVSCheckRequired>1</u:DVSCheckRequired><u:UserReference>r</u:UserReference>' +
        '<u:PersonalDetailsModifier>Gender</u:PersonalDetailsModifier><u:PersonalDetailsUpdate><u:Gender>F</u:Gender></u:PersonalDetailsUpdate>' +
        '<u:DVSDocument i:type="u:ImmiCardDocumentType"><u:ImmiCardNumber>ABC111111</u:ImmiCardNumber></u:DVSDocument>' +
        '<u:NonDvsDocumentTypeId> 7 </u:NonDvsDocumentTypeId></u:UpdateUSIPersonalDetails>';
      expect(decodeRequest('UpdateUSIPersonalDetails', parse(xml))).toEqual({
        orgCode: 'VA1803',
        usi: 'BNGH7C75FN',
        dvsCheckRequired: true,
        userReference: 'r',
        personalDetailsModifier: 'Gender',
        personalDetailsUpdate: { gender: 'F' },
        dvsDocument: { documentType: 'ImmiCard', immiCardNumber: 'ABC111111' },
        nonDvsDocumentTypeId: 7,
      });
    });

    const unexpected = expect.objectContaining({ code: 'xml.unexpected_content' });
    const cases: [string, string, string][] = [
      ['the wrong root element', 'GetCountries', `<u:GetNonDvsDocumentTypes ${ns}><u:OrgCode>A</u:OrgCode></u:GetNonDvsDocumentTypes>`],
      ['the wrong namespace', 'GetCountries', `<GetCountries xmlns="urn:other"><OrgCode>A</OrgCode></GetCountries>`],
      ['an unknown element', 'GetCountries', `<u:GetCountries ${ns}><u:OrgCode>A</u:OrgCode><u:Extra/></u:GetCountries>`],
      ['a child in another namespace', 'GetCountries', `<u:GetCountries ${ns}><OrgCode>A</OrgCode></u:GetCountries>`],
      ['a missing required element', 'VerifyUSI', `<u:VerifyUSI ${ns}><u:OrgCode>A</u:OrgCode></u:VerifyUSI>`],
      ['a repeated element', 'GetCountries', `<u:GetCountries ${ns}><u:OrgCode>A</u:OrgCode><u:OrgCode>B</u:OrgCode></u:GetCountries>`],
      ['stray text', 'GetCountries', `<u:GetCountries ${ns}>text<u:OrgCode>A</u:OrgCode></u:GetCountries>`],
      ['an element inside a simple value', 'GetCountries', `<u:GetCountries ${ns}><u:OrgCode><u:X/></u:OrgCode></u:GetCountries>`],
      ['a non-integer', 'BulkVerifyUSI', `<u:BulkVerifyUSI ${ns}><u:OrgCode>A</u:OrgCode><u:NoOfVerifications>two</u:NoOfVerifications><u:Verifications/></u:BulkVerifyUSI>`],
      ['a wrong list item', 'BulkVerifyUSI', `<u:BulkVerifyUSI ${ns}><u:OrgCode>A</u:OrgCode><u:NoOfVerifications>1</u:NoOfVerifications><u:Verifications><u:Other/></u:Verifications></u:BulkVerifyUSI>`],
    ];
    it.each(cases)('refuses %s', (_name, op, xml) => {
      expect(() => decodeRequest(op as 'GetCountries', parse(xml))).toThrow(unexpected);
    });

    it('refuses a non-boolean', () => {
      const xml = `<u:UpdateUSIContactDetailsResponse ${ns}><u:Result>Success</u:Result></u:UpdateUSIContactDetailsResponse>`;
      expect(decodeResponse('UpdateUSIContactDetails', parse(xml))).toEqual({ result: 'Success' });
      const bad = `<u:GetCountriesResponse ${ns}><u:Countries><u:CountryDetails><u:CountryCode>1</u:CountryCode><u:Name>A</u:Name><u:IsCurrent>yes</u:IsCurrent></u:CountryDetails></u:Countries></u:GetCountriesResponse>`;
      expect(() => decodeResponse('GetCountries', parse(bad))).toThrow(unexpected);
    });

    it.each([
      ['a missing xsi:type', ''],
      ['an unknown xsi:type', ` xmlns:i="${XSI_NS}" i:type="u:AlienDocumentType"`],
      ['an xsi:type in another namespace', ` xmlns:i="${XSI_NS}" xmlns:o="urn:o" i:type="o:PassportDocumentType"`],
    ])('refuses a DVSDocument with %s', (_name, attrs) => {
      const good = encodeRequest('CreateUSI', SAMPLE_REQUESTS.CreateUSI);
      const xml = good.replace(/<DVSDocument [^>]*>/, `<DVSDocument${attrs.replace(/u:/g, '')}>`).replace(
        `<CreateUSI xmlns="${USI_NS}"`,
        `<CreateUSI xmlns="${USI_NS}" xmlns:u="${USI_NS}"`,
      );
      expect(() => decodeRequest('CreateUSI', parse(xml))).toThrow(unexpected);
    });
  });
});
