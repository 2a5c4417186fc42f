import { checkApplications } from './creation-row.validator';

const CSV_ROW = {
  recordId: 'c1',
  dvsCheckRequired: 'true',
  userReference: 'c1',
  'personalDetails.gender': 'F',
  'personalDetails.firstName': 'Amelia',
  'personalDetails.familyName': 'Quirke',
  'personalDetails.dateOfBirth': '1991-01-02',
  'personalDetails.countryOfBirthCode': '1101',
  'personalDetails.townCityOfBirth': 'Canberra',
  'personalDetails.isPreferredName': 'false',
  'contactDetails.countryOfResidenceCode': '1101',
  'dvsDocument.documentType': 'Passport',
  'dvsDocument.documentNumber': 'X1111111',
};

describe('checkApplications', () => {
  it('nests dotted CSV columns into the application and types its booleans', async () => {
    const { sendable, rejected } = await checkApplications([{ row: 1, fields: CSV_ROW }]);
    expect(rejected).toEqual([]);
    expect(sendable[0]).toMatchObject({
      row: 1,
      recordId: 'c1',
      value: { dvsCheckRequired: true, personalDetails: { firstName: 'Amelia', isPreferredName: false }, dvsDocument: { documentType: 'Passport' } },
    });
    expect(sendable[0].value).not.toHaveProperty('applicationId');
  });

  it('reports every reason by field path, never the value, and refuses an applicationId of the caller', async () => {
    const { 'dvsDocument.documentNumber': _number, ...withoutNumber } = CSV_ROW;
    const { rejected } = await checkApplications([
      { row: 1, fields: withoutNumber },
      { row: 2, fields: { ...CSV_ROW, recordId: 'c2', applicationId: '7' } },
      { row: 3, fields: { ...CSV_ROW, recordId: 'c1' } },
    ]);
    expect(rejected.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(rejected[0].reasons.join(' ')).toMatch(/^dvsDocument/);
    expect(rejected[0].reasons.join(' ')).not.toContain('Quirke');
    expect(rejected[1].reasons).toEqual(['applicationId: set_by_gateway']);
    expect(rejected[2].reasons).toContain('recordId: duplicate_record_id');
  });
});
