import { DOMParser, type Element } from '@xmldom/xmldom';
import { ERROR_INFO_NS } from '../constants';
import type { ErrorInfo } from '../types/error-info.types';
import { decodeErrorInfo, encodeErrorInfo } from './error-info-codec';

const parse = (xml: string): Element => new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
const AUTH: ErrorInfo = { code: 2002, title: 'Organisation Failed Authorisation', message: 'The organisation was not verified.' };
const GENERIC: ErrorInfo = { code: 1002, title: 'Generic Validation', message: 'Organisation with OrgCode of <X> & Y could not be found.' };

describe('ErrorInfo codec', () => {
  it('writes one entry as ErrorInfo in the 2020 namespace', () => {
    const xml = encodeErrorInfo([AUTH]);
    expect(xml).toBe(
      `<ErrorInfo xmlns="${ERROR_INFO_NS}"><Code>2002</Code><Title>Organisation Failed Authorisation</Title>` +
        '<Message>The organisation was not verified.</Message></ErrorInfo>',
    );
    expect(decodeErrorInfo(parse(xml))).toEqual([AUTH]);
  });

  it('writes several entries as ArrayOfErrorInfo', () => {
    const xml = encodeErrorInfo([AUTH, GENERIC]);
    expect(xml.startsWith(`<ArrayOfErrorInfo xmlns="${ERROR_INFO_NS}"><ErrorInfo>`)).toBe(true);
    expect(decodeErrorInfo(parse(xml))).toEqual([AUTH, GENERIC]);
  });

  it('refuses an empty list', () => {
    expect(() => encodeErrorInfo([])).toThrow(expect.objectContaining({ code: 'contract.invalid_value' }));
  });

  it('reads ErrorInfo out of a SOAP 1.2 Detail element with any prefix', () => {
    const detail = parse(
      '<s:Detail xmlns:s="http://www.w3.org/2003/05/soap-envelope">' +
        `<e:ErrorInfo xmlns:e="${ERROR_INFO_NS}"><e:Code>1001</e:Code><e:Title>Service Unavailable</e:Title>` +
        '<e:Message>The service is currently not available.</e:Message></e:ErrorInfo></s:Detail>',
    );
    expect(decodeErrorInfo(detail)).toEqual([
      { code: 1001, title: 'Service Unavailable', message: 'The service is currently not available.' },
    ]);
  });

  it.each([
    ['a detail without ErrorInfo', '<Detail><Other/></Detail>'],
    ['ErrorInfo in the v5 message namespace', '<ErrorInfo xmlns="http://usi.gov.au/2022/ws"><Code>1</Code><Title/><Message/></ErrorInfo>'],
    ['a non-numeric code', `<ErrorInfo xmlns="${ERROR_INFO_NS}"><Code>E1</Code><Title/><Message/></ErrorInfo>`],
    ['a missing title', `<ErrorInfo xmlns="${ERROR_INFO_NS}"><Code>1</Code><Message/></ErrorInfo>`],
    ['an empty array', `<ArrayOfErrorInfo xmlns="${ERROR_INFO_NS}"/>`],
    ['a foreign array item', `<ArrayOfErrorInfo xmlns="${ERROR_INFO_NS}"><Oops/></ArrayOfErrorInfo>`],
  ])('refuses %s', (_name, xml) => {
    expect(() => decodeErrorInfo(parse(xml))).toThrow(expect.objectContaining({ code: 'xml.unexpected_content' }));
  });
});
