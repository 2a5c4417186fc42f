import { DOMParser, type Element } from '@xmldom/xmldom';
import { describeWithShared, sharedFile } from '../../../../test/support/shared-fixtures';
import { USI_OPERATIONS, type UsiOperation } from '../operations/usi-operation';
import { DVS_DOCUMENT_TYPES } from '../types/dvs-document.types';
import { validateRequest } from '../validation/validate-request';
import { decodeRequest, encodeRequest } from './usi-codec';

/** The S4 templates leave identifiers empty; fill them the way the gateway would before sending. */
const PLACEHOLDERS: Record<string, string> = {
  OrgCode: 'VA1803',
  USI: 'BNGH7C75FN',
  UserReference: 'template',
  RequestId: 'req-1',
  ReceiptNumber: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
};

function template(op: UsiOperation, fill: boolean): Element {
  let xml = sharedFile(`reference/templates/operations/${op}.xml`).toString('utf8');
  if (fill) {
    xml = xml.replace(/<usi:(\w+)\/>/g, (whole, name: string) =>
      PLACEHOLDERS[name] ? `<usi:${name}>${PLACEHOLDERS[name]}</usi:${name}>` : whole,
    );
  }
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
}

/**
 * Where the official templates themselves break the XSD (placeholders listing both name branches, etc.) or the
 * registry's rules (placeholder dates of birth 0001-01-01 and 0004-01-01, before 1900).
 */
const TEMPLATE_QUIRKS: Partial<Record<UsiOperation, string[]>> = {
  VerifyUSI: ['dateOfBirth:out_of_range', 'singleName:name_choice'],
  BulkVerifyUSI: [0, 1, 2, 3, 4].flatMap((i) => [`verifications[${i}].dateOfBirth:out_of_range`, `verifications[${i}].firstName:name_choice`]),
  LocateUSI: ['personalDetails.dateOfBirth:out_of_range'],
  UpdateUSIPersonalDetails: ['personalDetailsUpdate.countryOfBirthCode:too_long', 'personalDetailsUpdate.singleName:name_choice'],
  UpdateUSIContactDetails: ['contactDetailsUpdate.nationalAddress:address_choice'],
};

describeWithShared('official v5 request templates', () => {
  it.each(USI_OPERATIONS)('decodes %s as published, empty placeholders included', (op) => {
    expect(() => decodeRequest(op, template(op, false))).not.toThrow();
  });

  it.each(USI_OPERATIONS)('%s: filled template validates except for its documented quirks, and re-encodes losslessly', (op) => {
    const request = decodeRequest(op, template(op, true));
    const result = validateRequest(op, request);
    const found = result.ok ? [] : result.errors.map((e) => `${e.path}:${e.code}`);
    expect(found).toEqual(TEMPLATE_QUIRKS[op] ?? []);
    const reparsed = new DOMParser().parseFromString(encodeRequest(op, request as never), 'text/xml').documentElement!;
    expect(decodeRequest(op, reparsed)).toEqual(request);
  });

  it('reads every DVS document kind from the BulkUpload template', () => {
    const request = decodeRequest('BulkUpload', template('BulkUpload', true));
    const kinds = request.applications.map((a) => a.dvsDocument?.documentType).filter(Boolean);
    expect([...kinds].sort()).toEqual([...DVS_DOCUMENT_TYPES].sort());
    expect(request.applications[9]).toMatchObject({ dvsCheckRequired: false, nonDvsDocumentTypeId: 5 });
    expect(request.applications[4].dvsDocument).toEqual({
      documentType: 'Medicare',
      medicareCardNumber: '1111111111',
      individualRefNumber: '1',
      expiryDate: '2023-04',
      cardColour: 'Green',
      nameLine1: 'Imperio Cristina Vloedgrave',
      nameLine2: 'n',
    });
  });
});
