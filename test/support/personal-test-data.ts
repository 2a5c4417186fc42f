/**
 * Every personal value the tests send through the gateway, in the forms it could leak: names, dates of birth,
 * contacts, document numbers. None of them may ever reach the audit table.
 */
export const PERSONAL_TEST_VALUES = [
  'Maryam', 'Fredrick', 'Olivia', 'Harcastle', 'Amy',
  '1966-05-25', '25/05/1966', '19660525', '1992-03-14', '14/03/1992', '2022-06-07',
  'maryam@example.com.au', 'olivia.harcastle@example.com.au', 'maryam.new@example.com.au',
  '1 Example St', 'CANBERRA', 'X1111111',
];

// A value counts where it stands on its own: random ids, hashes and base64 fingerprints in a row can spell "amy".
const TOKEN_CHAR = 'A-Za-z0-9+/';
const PATTERNS = PERSONAL_TEST_VALUES.map((value) => ({
  value,
  pattern: new RegExp(`(?<![${TOKEN_CHAR}])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![${TOKEN_CHAR}])`, 'i'),
}));

/** The personal test values found in `rows` (serialised rows, e.g. `row_to_json(e)::text`). */
export function personalValuesIn(rows: string[]): { value: string; row: string }[] {
  return rows.flatMap((row) => PATTERNS.filter(({ pattern }) => pattern.test(row)).map(({ value }) => ({ value, row })));
}
