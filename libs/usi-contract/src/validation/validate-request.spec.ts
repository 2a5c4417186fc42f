import { USI_OPERATIONS, type UsiOperation } from '../operations/usi-operation';
import { SAMPLE_REQUESTS, sampleApplication } from '../testing/sample-messages';
import type { FieldError } from './field-error';
import { validateRequest, validateRequestBody } from './validate-request';

const errorsOf = (result: { ok: boolean; errors?: FieldError[] }): string[] =>
  result.ok ? [] : result.errors!.map((e) => `${e.path}:${e.code}`);

const verify = (patch: Record<string, unknown>) => ({ ...SAMPLE_REQUESTS.VerifyUSI, ...patch });
const bulk = (count: number, patch: (i: number) => Record<string, unknown> = () => ({})) => ({
  orgCode: 'VA1803',
  noOfVerifications: count,
  verifications: Array.from({ length: count }, (_, i) => ({
    recordId: i + 1,
    usi: 'BNGH7C75FN',
    singleName: 'Amy',
    dateOfBirth: '2000-01-01',
    ...patch(i),
  })),
});
const createWith = (patch: Record<string, unknown>) => ({
  ...SAMPLE_REQUESTS.CreateUSI,
  application: { ...SAMPLE_REQUESTS.CreateUSI.application, ...patch },
});

describe('validateRequest', () => {
  it.each(USI_OPERATIONS)('accepts the sample %s request and returns it', (op) => {
    const result = validateRequest(op, SAMPLE_REQUESTS[op]);
    expect(errorsOf(result)).toEqual([]);
    expect(result.ok && result.value).toBe(SAMPLE_REQUESTS[op]);
  });

  it.each<[string, unknown, string[]]>([
    ['a non-object input', 'x', [':type']],
    ['a missing field', { usi: 'BNGH7C75FN', singleName: 'A', dateOfBirth: '2000-01-01' }, ['orgCode:required']],
    ['a wrong type', verify({ orgCode: 12 }), ['orgCode:type']],
    ['null where not nillable', verify({ orgCode: null }), ['orgCode:type']],
    ['too short', verify({ orgCode: '' }), ['orgCode:too_short']],
    ['too long', verify({ orgCode: 'ABCDEFGHI' }), ['orgCode:too_long']],
    ['a pattern mismatch', verify({ orgCode: 'VA-18' }), ['orgCode:pattern']],
    ['a control character', verify({ familyName: 'Fred\u0007rick' }), ['familyName:invalid_character']],
    ['a USI with a bad check character', verify({ usi: 'XNY5NV9WG8' }), ['usi:usi_check_character']],
    ['a lower-case USI', verify({ usi: 'bngh7c75fn' }), ['usi:pattern']],
    // O is outside the USI alphabet; the check character 7 would satisfy a sum that ignored the alphabet.
    ['a USI with a forbidden letter', verify({ usi: 'BNGO7C75F7' }), ['usi:pattern']],
    ['a short USI', verify({ usi: 'BNGH7C75F' }), ['usi:too_short']],
    ['an impossible date', verify({ dateOfBirth: '2023-02-29' }), ['dateOfBirth:invalid_date']],
    ['a date in another format', verify({ dateOfBirth: '25/05/1966' }), ['dateOfBirth:invalid_date']],
    ['year zero', verify({ dateOfBirth: '0000-01-01' }), ['dateOfBirth:invalid_date']],
    ['an unknown field', verify({ nickname: 'M' }), ['nickname:unknown_field']],
    ['both name branches', verify({ singleName: 'Amy' }), ['singleName:name_choice']],
    ['no name at all', verify({ firstName: undefined, familyName: undefined }), ['firstName:name_choice']],
    ['a first name without a family name', verify({ familyName: undefined }), ['familyName:required']],
    ['a name over 40 characters', verify({ firstName: 'x'.repeat(41) }), ['firstName:too_long']],
  ])('VerifyUSI: reports %s', (_name, input, expected) => {
    expect(errorsOf(validateRequest('VerifyUSI', input))).toEqual(expected);
  });

  it('accepts a leap day and a 40-character name', () => {
    expect(errorsOf(validateRequest('VerifyUSI', verify({ dateOfBirth: '2024-02-29', firstName: 'x'.repeat(40) })))).toEqual([]);
  });

  it('counts length in characters, not UTF-16 units', () => {
    expect(errorsOf(validateRequest('VerifyUSI', verify({ firstName: '😀'.repeat(40) })))).toEqual([]);
  });

  describe('batches', () => {
    it('accepts 500 verifications and rejects 501', () => {
      expect(errorsOf(validateRequest('BulkVerifyUSI', bulk(500)))).toEqual([]);
      expect(errorsOf(validateRequest('BulkVerifyUSI', bulk(501)))).toEqual([
        'noOfVerifications:out_of_range',
        'verifications:batch_too_large',
      ]);
    });

    it('rejects an empty batch', () => {
      expect(errorsOf(validateRequest('BulkVerifyUSI', bulk(0)))).toEqual(['verifications:batch_empty']);
    });

    it('rejects a count that does not match the items', () => {
      expect(errorsOf(validateRequest('BulkVerifyUSI', { ...bulk(3), noOfVerifications: 2 }))).toEqual([
        'noOfVerifications:count_mismatch',
      ]);
    });

    it('rejects duplicate record ids and reports every item error with its index', () => {
      const input = bulk(4, (i) => (i === 2 ? { recordId: 1, usi: 'XNY5NV9WG8' } : i === 3 ? { recordId: 1.5 } : {}));
      expect(errorsOf(validateRequest('BulkVerifyUSI', input))).toEqual([
        'verifications[2].usi:usi_check_character',
        'verifications[3].recordId:type',
        'verifications[2].recordId:duplicate_record_id',
      ]);
    });

    it('rejects duplicate application ids and a mismatched NoOfApplications', () => {
      const input = {
        orgCode: 'VA1803',
        requestId: 'b',
        noOfApplications: 3,
        applications: [sampleApplication('1'), sampleApplication('1')],
      };
      expect(errorsOf(validateRequest('BulkUpload', input))).toEqual([
        'applications[1].applicationId:duplicate_application_id',
        'noOfApplications:count_mismatch',
      ]);
    });

    it('rejects a non-array batch', () => {
      expect(errorsOf(validateRequest('BulkVerifyUSI', { ...bulk(1), verifications: {} }))).toEqual(['verifications:type']);
    });
  });

  describe('applications and DVS documents', () => {
    it.each<[string, Record<string, unknown>, string[]]>([
      ['an unknown document type', { dvsDocument: { documentType: 'LibraryCard' } }, ['application.dvsDocument.documentType:unknown_document_type']],
      ['a document without a type', { dvsDocument: { passportNumber: '1' } }, ['application.dvsDocument.documentType:required']],
      ['a field of another document kind', { dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111', state: 'ACT' } }, ['application.dvsDocument.state:unknown_field']],
      ['a bad passport number', { dvsDocument: { documentType: 'Passport', documentNumber: '11111111' } }, ['application.dvsDocument.documentNumber:pattern']],
      ['a bad Medicare expiry month', { dvsDocument: { documentType: 'Medicare', medicareCardNumber: '1111111111', individualRefNumber: '0', expiryDate: '2023-13', cardColour: 'Red', nameLine1: 'A' } }, [
        'application.dvsDocument.individualRefNumber:pattern',
        'application.dvsDocument.expiryDate:invalid_date',
        'application.dvsDocument.cardColour:enum',
      ]],
      ['a year-month Centrelink expiry (date only)', { dvsDocument: { documentType: 'CentrelinkCard', crn: '111111111X', name: 'A', expiryDate: '2024-06', type: 'SHC' } }, ['application.dvsDocument.expiryDate:invalid_date']],
      ['a bad CRN and card type', { dvsDocument: { documentType: 'CentrelinkCard', crn: '1111111111', name: 'A', expiryDate: '2024-06-01', type: 'ABC' } }, [
        'application.dvsDocument.crn:pattern',
        'application.dvsDocument.type:enum',
      ]],
      ['a short ImmiCard number', { dvsDocument: { documentType: 'ImmiCard', immiCardNumber: 'ABC11111' } }, ['application.dvsDocument.immiCardNumber:too_short']],
      ['a bad stock number', { dvsDocument: { documentType: 'CitizenshipCertificate', stockNumber: 'AC_1', acquisitionDate: '2001-01-01' } }, ['application.dvsDocument.stockNumber:pattern']],
      ['a null nonDvsDocumentTypeId (nillable)', { nonDvsDocumentTypeId: null }, []],
      ['a non-integer nonDvsDocumentTypeId', { nonDvsDocumentTypeId: '5' }, ['application.nonDvsDocumentTypeId:type']],
      ['an int out of xs:int range', { nonDvsDocumentTypeId: 2 ** 31 }, ['application.nonDvsDocumentTypeId:out_of_range']],
      ['a string boolean', { dvsCheckRequired: 'true' }, ['application.dvsCheckRequired:type']],
      ['an empty user reference', { userReference: '' }, ['application.userReference:too_short']],
    ])('CreateUSI: reports %s', (_name, patch, expected) => {
      expect(errorsOf(validateRequest('CreateUSI', createWith(patch)))).toEqual(expected);
    });

    it('checks nested contact and personal details', () => {
      const { contactDetails, personalDetails } = SAMPLE_REQUESTS.CreateUSI.application;
      const input = createWith({
        contactDetails: { ...contactDetails, internationalAddress: 'Paris', nationalAddress: { ...contactDetails.nationalAddress!, state: 'XX', postCode: '12a4' } },
        personalDetails: { ...personalDetails, gender: 'Q', isPreferredName: undefined },
      });
      expect(errorsOf(validateRequest('CreateUSI', input))).toEqual([
        'application.contactDetails.nationalAddress.state:enum',
        'application.contactDetails.nationalAddress.postCode:pattern',
        'application.contactDetails.nationalAddress:address_choice',
        'application.personalDetails.gender:enum',
        'application.personalDetails.isPreferredName:required',
      ]);
    });

    it('requires CountryOfResidenceCode only where the XSD does', () => {
      const { countryOfResidenceCode: _dropped, ...contactDetails } = SAMPLE_REQUESTS.CreateUSI.application.contactDetails;
      expect(errorsOf(validateRequest('CreateUSI', createWith({ contactDetails })))).toEqual([
        'application.contactDetails.countryOfResidenceCode:required',
      ]);
      const update = { ...SAMPLE_REQUESTS.UpdateUSIContactDetails, contactDetailsUpdate: { emailAddress: 'a@b.c' } };
      expect(errorsOf(validateRequest('UpdateUSIContactDetails', update))).toEqual([]);
    });

    it('checks the personal details modifier enum', () => {
      const input = { ...SAMPLE_REQUESTS.UpdateUSIPersonalDetails, personalDetailsModifier: 'Nickname' };
      expect(errorsOf(validateRequest('UpdateUSIPersonalDetails', input))).toEqual(['personalDetailsModifier:enum']);
    });

    it('checks the receipt number length', () => {
      expect(errorsOf(validateRequest('BulkUploadRetrieve', { receiptNumber: 'abc' }))).toEqual(['receiptNumber:too_short']);
    });
  });
});

describe('dates of birth', () => {
  // At 12:00 UTC on 1 June it is already 2 June from UTC+10 eastwards (and up to UTC+14, the bound used).
  const now = new Date('2025-06-01T12:00:00Z');
  const dobErrors = (dateOfBirth: string, at = now) => errorsOf(validateRequest('VerifyUSI', verify({ dateOfBirth }), { now: at }));

  it('accepts 1900-01-01 and the latest date anywhere on Earth, refuses a day either side', () => {
    expect(dobErrors('1900-01-01')).toEqual([]);
    expect(dobErrors('2025-06-02')).toEqual([]);
    expect(dobErrors('1899-12-31')).toEqual(['dateOfBirth:out_of_range']);
    expect(dobErrors('2025-06-03')).toEqual(['dateOfBirth:out_of_range']);
    expect(dobErrors('9999-12-31')).toEqual(['dateOfBirth:out_of_range']);
  });

  it('counts today from UTC+14, so a birth this morning in Sydney is not "in the future" by the UTC date', () => {
    // 08:00 on 2 June in Sydney (UTC+10) is 22:00 on 1 June UTC.
    expect(dobErrors('2025-06-02', new Date('2025-06-01T22:00:00Z'))).toEqual([]);
    // 2 June begins at UTC+14 at 10:00 UTC on 1 June; a moment before, it has begun nowhere.
    expect(dobErrors('2025-06-02', new Date('2025-06-01T09:59:59.999Z'))).toEqual(['dateOfBirth:out_of_range']);
    expect(dobErrors('2025-06-02', new Date('2025-06-01T10:00:00Z'))).toEqual([]);
  });

  it('says which bound was crossed without echoing the date', () => {
    const result = validateRequest('VerifyUSI', verify({ dateOfBirth: '2025-06-03' }), { now });
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'dateOfBirth', code: 'out_of_range', message: 'must not be in the future' }]);
    const early = validateRequest('VerifyUSI', verify({ dateOfBirth: '1899-12-31' }), { now });
    expect(early.ok ? [] : early.errors).toEqual([{ path: 'dateOfBirth', code: 'out_of_range', message: 'must be 1900-01-01 or later' }]);
  });

  it('uses the system clock by default', () => {
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    expect(errorsOf(validateRequest('VerifyUSI', verify({ dateOfBirth: nextYear })))).toEqual(['dateOfBirth:out_of_range']);
    expect(errorsOf(validateRequestBody('VerifyUSI', { ...verify({ dateOfBirth: nextYear }), orgCode: undefined }, { omit: ['orgCode'] }))).toEqual([
      'dateOfBirth:out_of_range',
    ]);
  });

  it.each<[string, (dob: string) => unknown, string]>([
    ['BulkVerifyUSI', (dob) => bulk(2, (i) => (i === 1 ? { dateOfBirth: dob } : {})), 'verifications[1].dateOfBirth'],
    ['CreateUSI', (dob) => createWith({ personalDetails: { ...SAMPLE_REQUESTS.CreateUSI.application.personalDetails, dateOfBirth: dob } }), 'application.personalDetails.dateOfBirth'],
    ['BulkUpload', (dob) => ({ orgCode: 'VA1803', requestId: 'b', noOfApplications: 2, applications: [sampleApplication('1'), { ...sampleApplication('2'), personalDetails: { ...sampleApplication('2').personalDetails, dateOfBirth: dob } }] }), 'applications[1].personalDetails.dateOfBirth'],
    ['LocateUSI', (dob) => ({ ...SAMPLE_REQUESTS.LocateUSI, personalDetails: { ...SAMPLE_REQUESTS.LocateUSI.personalDetails, dateOfBirth: dob } }), 'personalDetails.dateOfBirth'],
    ['UpdateUSIPersonalDetails', (dob) => ({ ...SAMPLE_REQUESTS.UpdateUSIPersonalDetails, personalDetailsUpdate: { ...SAMPLE_REQUESTS.UpdateUSIPersonalDetails.personalDetailsUpdate, dateOfBirth: dob } }), 'personalDetailsUpdate.dateOfBirth'],
  ])('%s applies the same rule', (op, withDob, path) => {
    const validate = (dob: string) => errorsOf(validateRequest(op as UsiOperation, withDob(dob), { now }));
    expect(validate('2025-06-02')).toEqual([]);
    expect(validate('2025-06-03')).toEqual([`${path}:out_of_range`]);
    expect(validate('1899-12-31')).toEqual([`${path}:out_of_range`]);
  });

  it('leaves other dates alone (a citizenship acquired before 1900 is not a birth)', () => {
    const doc = { documentType: 'CitizenshipCertificate', stockNumber: 'ACC111111', acquisitionDate: '1899-01-01' };
    expect(errorsOf(validateRequest('CreateUSI', createWith({ dvsDocument: doc }), { now }))).toEqual([]);
  });
});

describe('validateRequestBody', () => {
  it('drops the omitted fields from the shape', () => {
    const { orgCode: _o, requestId: _r, ...body } = SAMPLE_REQUESTS.CreateUSI;
    expect(errorsOf(validateRequestBody('CreateUSI', body, { omit: ['orgCode', 'requestId'] }))).toEqual([]);
    expect(errorsOf(validateRequestBody('CreateUSI', { ...body, orgCode: 'X' }, { omit: ['orgCode', 'requestId'] }))).toEqual([
      'orgCode:unknown_field',
    ]);
  });

  it('skips the count rule when the count itself is omitted', () => {
    const { orgCode: _o, noOfVerifications: _n, ...body } = bulk(2);
    expect(errorsOf(validateRequestBody('BulkVerifyUSI', body, { omit: ['orgCode', 'noOfVerifications'] }))).toEqual([]);
  });

  it('still validates everything else', () => {
    expect(errorsOf(validateRequestBody('VerifyUSI', { usi: 'X' }, { omit: ['orgCode'] }))).toEqual([
      'usi:too_short',
      'dateOfBirth:required',
      'firstName:name_choice',
    ]);
  });
});
