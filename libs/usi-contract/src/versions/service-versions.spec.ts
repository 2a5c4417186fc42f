import { DOMParser } from '@xmldom/xmldom';
import { SAMPLE_REQUESTS } from '../testing/sample-messages';
import { validateRequest } from '../validation/validate-request';
import { decodeRequest, encodeRequest } from '../xml/usi-codec';
import { withoutElement } from './schema-delta';
import type { UsiServiceVersion } from './service-version';
import { DEFAULT_SERVICE_VERSION, findServiceVersion, SERVICE_VERSIONS, schemasFor, serviceVersion, serviceVersionByNamespace } from './service-versions';
import { V5 } from './v5';
import { V6_DRAFT } from './v6';

const root = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml').documentElement!;

describe('USI web-service versions as data', () => {
  it('v5 is the default and the only complete version; every version has its own namespace and path', () => {
    expect(DEFAULT_SERVICE_VERSION).toBe(V5);
    expect(SERVICE_VERSIONS.filter((v) => v.complete).map((v) => v.id)).toEqual(['v5']);
    expect(new Set(SERVICE_VERSIONS.map((v) => v.namespace)).size).toBe(SERVICE_VERSIONS.length);
    expect(new Set(SERVICE_VERSIONS.map((v) => v.endpointPath)).size).toBe(SERVICE_VERSIONS.length);
    for (const v of SERVICE_VERSIONS) expect(v.actionPrefix).toBe(`${v.namespace}/`);
  });

  it('finds versions by id and namespace; an unknown id names the known ones', () => {
    expect(serviceVersion('v6')).toBe(V6_DRAFT);
    expect(findServiceVersion('v4')).toBeUndefined();
    expect(serviceVersionByNamespace('http://usi.gov.au/2022/ws')).toBe(V5);
    expect(() => serviceVersion('v9')).toThrow(expect.objectContaining({ code: 'contract.unknown_version', message: expect.stringContaining('v5, v6') }));
  });

  it('the codec defaults to v5 and writes the chosen version’s namespace', () => {
    const request = SAMPLE_REQUESTS.VerifyUSI;
    expect(encodeRequest('VerifyUSI', request)).toBe(encodeRequest('VerifyUSI', request, V5));
    const v6 = encodeRequest('VerifyUSI', request, V6_DRAFT);
    expect(v6).toContain('xmlns="http://usi.gov.au/2026/ws"');
    expect(decodeRequest('VerifyUSI', root(v6), V6_DRAFT)).toEqual(request);
    expect(() => decodeRequest('VerifyUSI', root(v6))).toThrow(expect.objectContaining({ code: 'xml.unexpected_content' }));
  });

  it('a version is one module plus its schema delta: a v4-like delta drops DriversLicence/CardNumber everywhere', () => {
    const v4Like: UsiServiceVersion = {
      ...V5,
      id: 'v4-like',
      schemaDelta: { changes: ['DriversLicence has no CardNumber'], apply: withoutElement('DriversLicenceDocumentType', 'CardNumber') },
    };
    const application = {
      ...SAMPLE_REQUESTS.CreateUSI.application,
      dvsDocument: { documentType: 'DriversLicence', licenceNumber: '111111', state: 'NSW', cardNumber: 'A001234567' },
    };
    const input = { ...SAMPLE_REQUESTS.CreateUSI, application };
    expect(validateRequest('CreateUSI', input).ok).toBe(true);
    const v4 = validateRequest('CreateUSI', input, { version: v4Like });
    expect(v4.ok ? [] : v4.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['application.dvsDocument.cardNumber unknown_field']);
    expect(schemasFor(v4Like)).toBe(schemasFor(v4Like));
    expect(schemasFor(V5).VerifyUSI).toBe(schemasFor().VerifyUSI);
  });
});
