import { camelKey } from './field-spec';

describe('camelKey', () => {
  it.each([
    ['USI', 'usi'],
    ['CRN', 'crn'],
    ['USIStatus', 'usiStatus'],
    ['DVSCheckRequired', 'dvsCheckRequired'],
    ['DVSDocument', 'dvsDocument'],
    ['NoOfVerifications', 'noOfVerifications'],
    ['NonDvsDocumentTypeId', 'nonDvsDocumentTypeId'],
    ['NameLine1', 'nameLine1'],
    ['Id', 'id'],
  ])('%s → %s', (xml, key) => {
    expect(camelKey(xml)).toBe(key);
  });
});
