import { csvDocument } from '../jobs/job-results.writer';
import { CREATION_CSV_COLUMNS } from './creation-row.validator';

/** The columns every application has: who the student is and where they live (varied between the rows). */
function student(n: number, person: Record<string, string>, contact: Record<string, string> = {}): Record<string, string> {
  const id = `enrolment-${String(n).padStart(4, '0')}`;
  return {
    recordId: id,
    dvsCheckRequired: 'true',
    userReference: id,
    'personalDetails.countryOfBirthCode': '1101',
    'personalDetails.isPreferredName': 'false',
    'contactDetails.countryOfResidenceCode': '1101',
    ...Object.fromEntries(Object.entries(person).map(([k, v]) => [`personalDetails.${k}`, v])),
    ...Object.fromEntries(Object.entries(contact).map(([k, v]) => [`contactDetails.${k}`, v])),
  };
}

/** A row's identity document: `dvsDocument.<field>` columns, only those of its document type. */
function document(documentType: string, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries([['documentType', documentType], ...Object.entries(fields)].map(([k, v]) => [`dvsDocument.${k}`, v]));
}

const HOME = { 'nationalAddress.address1': '12 Example Street', 'nationalAddress.suburbTownCity': 'Parramatta', 'nationalAddress.state': 'NSW', 'nationalAddress.postCode': '2150' };

/**
 * `/docs/creation-jobs/example.csv`: one application per kind of DVS identity document (each with the columns that
 * document needs; the values are the USI test environment's (3PT) test documents) and one with a non-DVS document,
 * over every column a creation upload reads (`CREATION_CSV_COLUMNS`). Single name, middle and preferred names, phone
 * numbers, an Australian and an international address show where those go. A dry run of it sends every row.
 */
export const CREATION_EXAMPLE_CSV = csvDocument(CREATION_CSV_COLUMNS, [
  {
    ...student(1, { gender: 'F', firstName: 'Olivia', middleName: 'Grace', familyName: 'Nguyen', dateOfBirth: '2004-03-17', townCityOfBirth: 'Sydney' }, { emailAddress: 'olivia.nguyen@example.com.au', 'phone.mobile': '0412345678', ...HOME }),
    ...document('Passport', { documentNumber: 'X1111111' }),
  },
  {
    ...student(2, { gender: 'M', firstName: 'Jack', familyName: 'Thompson', dateOfBirth: '2001-11-02', townCityOfBirth: 'Wagga Wagga' }, { emailAddress: 'jack.thompson@example.com.au', 'phone.home': '0262345678' }),
    ...document('DriversLicence', { licenceNumber: '111111', state: 'NSW' }),
  },
  {
    ...student(3, { gender: 'F', firstName: 'Charlotte', familyName: 'Wilson', dateOfBirth: '1998-07-24', townCityOfBirth: 'Geelong' }),
    ...document('Medicare', { medicareCardNumber: '1111111111', individualRefNumber: '1', expiryDate: '2030-04', cardColour: 'Green', nameLine1: 'CHARLOTTE WILSON' }),
  },
  {
    ...student(4, { gender: 'M', firstName: 'Liam', familyName: 'Brown', dateOfBirth: '2005-01-30', townCityOfBirth: 'Ballarat' }),
    ...document('BirthCertificate', { registrationNumber: '1111111', registrationState: 'VIC', registrationDate: '2005-02-14', datePrinted: '2019-06-03', certificateNumber: 'A1234567' }),
  },
  {
    ...student(5, { gender: 'X', firstName: 'Sam', familyName: 'Patel', dateOfBirth: '1996-09-09', countryOfBirthCode: '7103', townCityOfBirth: 'Mumbai' }),
    ...document('ImmiCard', { immiCardNumber: 'ABC111111' }),
  },
  {
    ...student(6, { gender: 'F', firstName: 'Mei', familyName: 'Zhang', dateOfBirth: '2003-05-12', countryOfBirthCode: '6101', townCityOfBirth: 'Shanghai' }, { countryOfResidenceCode: '6101', internationalAddress: '88 Example Road, Pudong, Shanghai 200120, China' }),
    ...document('Visa', { passportNumber: '111111' }),
  },
  {
    ...student(7, { gender: 'M', firstName: 'Muhammad', familyName: 'Siddiqui', dateOfBirth: '1990-12-01', countryOfBirthCode: '7106', townCityOfBirth: 'Karachi', isPreferredName: 'true', preferredFirstName: 'Adam' }),
    ...document('CitizenshipCertificate', { stockNumber: 'ACC111111', acquisitionDate: '2010-01-01' }),
  },
  {
    ...student(8, { gender: 'F', firstName: 'Emily', familyName: 'Clarke', dateOfBirth: '1999-04-04', countryOfBirthCode: '2102', townCityOfBirth: 'London' }),
    ...document('RegistrationByDescent', { acquisitionDate: '2013-01-01' }),
  },
  {
    ...student(9, { gender: 'M', singleName: 'Rangi', dateOfBirth: '1987-02-21', townCityOfBirth: 'Darwin' }, { 'phone.mobile': '0498765432' }),
    ...document('CentrelinkCard', { crn: '111111111A', name: 'RANGI', expiryDate: '2030-01-01', type: 'HCC' }),
  },
  {
    ...student(10, { gender: 'F', firstName: 'Sofia', familyName: 'Rossi', dateOfBirth: '2000-08-15', countryOfBirthCode: '3104', townCityOfBirth: 'Milan' }, { emailAddress: 'sofia.rossi@example.com' }),
    dvsCheckRequired: 'false',
    nonDvsDocumentTypeId: '2',
  },
]);
