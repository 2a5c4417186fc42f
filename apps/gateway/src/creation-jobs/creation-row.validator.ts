import { Application, UsiServiceVersion, validateRequestBody } from '@usi/contract';
import type { RawRow } from '../jobs/job-input.parser';
import { CheckedRows, sortRows } from '../jobs/job-row.checker';

/** An application as the job stores it: the gateway sets `applicationId` (the row number) when it uploads. */
export type ApplicationValue = Omit<Application, 'applicationId'>;

const DOCUMENT_FIELDS = [
  'documentType', 'documentNumber', 'passportNumber', 'licenceNumber', 'cardNumber', 'state', 'medicareCardNumber', 'individualRefNumber',
  'expiryDate', 'cardColour', 'nameLine1', 'nameLine2', 'nameLine3', 'nameLine4', 'registrationNumber', 'registrationState',
  'registrationDate', 'datePrinted', 'certificateNumber', 'immiCardNumber', 'stockNumber', 'acquisitionDate', 'crn', 'name', 'type',
];

/**
 * The columns of a creation upload in CSV: the application's fields by their dotted path (`personalDetails.firstName`,
 * `dvsDocument.documentType`, …), so every document kind fits in one header; empty cells are left out. JSON uploads
 * send the application objects themselves (plus `recordId`).
 */
export const CREATION_CSV_COLUMNS = [
  'recordId', 'dvsCheckRequired', 'userReference',
  ...['gender', 'firstName', 'middleName', 'familyName', 'singleName', 'dateOfBirth', 'countryOfBirthCode', 'townCityOfBirth',
    'isPreferredName', 'preferredFirstName', 'preferredFamilyName', 'preferredSingleName'].map((f) => `personalDetails.${f}`),
  ...['countryOfResidenceCode', 'emailAddress', 'phone.home', 'phone.mobile', 'internationalAddress', 'nationalAddress.address1',
    'nationalAddress.address2', 'nationalAddress.suburbTownCity', 'nationalAddress.state', 'nationalAddress.postCode'].map((f) => `contactDetails.${f}`),
  ...DOCUMENT_FIELDS.map((f) => `dvsDocument.${f}`),
  'nonDvsDocumentTypeId', 'nonDvsDocumentTypeOther',
];

const BOOLEAN_PATHS = new Set(['dvsCheckRequired', 'personalDetails.isPreferredName']);
const NUMBER_PATHS = new Set(['nonDvsDocumentTypeId']);

/**
 * Sorts the upload into will-send and cannot-send with the rules of a single CreateUSI's application (names, date of
 * birth, the document's fields) from `@usi/contract`, plus every job's own (`sortRows`). A CSV row's dotted columns
 * become the nested application first, its `true`/`false` and numeric cells typed.
 */
export function checkApplications(rows: RawRow[], version?: UsiServiceVersion, now = new Date()): Promise<CheckedRows<ApplicationValue>> {
  // One instant for the whole upload: every row's date of birth is judged against the same today.
  return sortRows(rows, (fields) => {
    const application = nest(fields);
    if ('applicationId' in application) return { reasons: ['applicationId: set_by_gateway'] };
    const result = validateRequestBody('CreateUSI', { application: { applicationId: '1', ...application } }, { omit: ['orgCode', 'requestId'], version, now });
    if (!result.ok) return { reasons: result.errors.map((e) => `${e.path.replace(/^application\.?/, '') || 'row'}: ${e.code}`) };
    const { applicationId: _set, ...value } = result.value.application;
    return { value, reasons: [] };
  });
}

/** `{"personalDetails.firstName": "Amy"}` → `{personalDetails: {firstName: "Amy"}}`; already nested JSON is kept. */
function nest(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, raw] of Object.entries(fields)) {
    const value = typed(path, raw);
    const keys = path.split('.');
    let at = out;
    for (const key of keys.slice(0, -1)) {
      if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]] = value;
  }
  return out;
}

function typed(path: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (BOOLEAN_PATHS.has(path) && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (NUMBER_PATHS.has(path) && /^\d+$/.test(value)) return Number(value);
  return value;
}
