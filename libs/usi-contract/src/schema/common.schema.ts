import {
  CENTRELINK_CARD_TYPES,
  GENDERS,
  MEDICARE_CARD_COLOURS,
  STATES,
} from '../types/enums';
import { DATE, DATE_OF_BIRTH, enumOf, list, obj, opt, el, str, xsdPattern, type ChoiceBranch, type ObjectRule, type ObjectSpec, type UnionSpec } from './field-spec';

export const ORG_CODE = str({ minLength: 1, maxLength: 8, pattern: xsdPattern('[A-Za-z0-9]*') });
export const USER_REFERENCE = str({ minLength: 1, maxLength: 40 });
export const REQUEST_ID = str({ maxLength: 20 });
export const APPLICATION_ID = str({ maxLength: 20 });
export const RECEIPT_NUMBER = str({ minLength: 36, maxLength: 36 });
export const NON_DVS_DOCUMENT_TYPE_OTHER = str({ minLength: 1, maxLength: 50 });
export const NAME = str({ maxLength: 40 });
export const MIDDLE_NAME = str({ maxLength: 80 });
export const COUNTRY_CODE = str({ maxLength: 4 });
export const TOWN_CITY = str({ maxLength: 50 });
export const GENDER = enumOf(GENDERS);
export const STATE = enumOf(STATES);

export const ERRORS = list(
  'Errors',
  'Error',
  obj([
    el('Code', str({ minLength: 4, maxLength: 4, pattern: xsdPattern('E[0-9]*') })),
    el('Message', str({ maxLength: 255 })),
  ]),
  { minOccurs: 1 },
  true,
);

const choice = (code: string, optional: boolean, ...branches: ChoiceBranch[]): ObjectRule => ({
  kind: 'choice',
  code,
  optional,
  branches,
});

/** FirstName + FamilyName, or SingleName alone. */
export const NAME_CHOICE = choice(
  'name_choice',
  false,
  { members: ['firstName', 'familyName'], required: ['firstName', 'familyName'] },
  { members: ['singleName'], required: ['singleName'] },
);

const FULL_NAME_CHOICE = choice(
  'name_choice',
  false,
  { members: ['firstName', 'middleName', 'familyName'], required: ['firstName', 'familyName'] },
  { members: ['singleName'], required: ['singleName'] },
);

const PARTIAL_NAME_CHOICE = choice(
  'name_choice',
  true,
  { members: ['firstName', 'middleName', 'familyName'], required: [] },
  { members: ['singleName'], required: [] },
);

const ADDRESS_CHOICE = choice(
  'address_choice',
  true,
  { members: ['internationalAddress'], required: [] },
  { members: ['nationalAddress'], required: [] },
);

const PHONE = obj([opt('Home', str({ maxLength: 20 })), opt('Mobile', str({ maxLength: 20 }))]);

const NATIONAL_ADDRESS = obj([
  el('Address1', str({ minLength: 1, maxLength: 50 })),
  opt('Address2', str({ minLength: 1, maxLength: 50 })),
  el('SuburbTownCity', str({ minLength: 1, maxLength: 50 })),
  el('State', STATE),
  el('PostCode', str({ minLength: 4, maxLength: 4, pattern: xsdPattern('[0-9]*') })),
]);

function contactDetails(countryRequired: boolean): ObjectSpec {
  return obj(
    [
      el('CountryOfResidenceCode', COUNTRY_CODE, { optional: !countryRequired }),
      opt('EmailAddress', str({ maxLength: 254 })),
      opt('Phone', PHONE),
      opt('InternationalAddress', str({ maxLength: 250 })),
      opt('NationalAddress', NATIONAL_ADDRESS),
    ],
    [ADDRESS_CHOICE],
  );
}

export const CONTACT_DETAILS = contactDetails(true);
/** ContactDetailsLocateType and ContactDetailsUpdateType are identical. */
export const PARTIAL_CONTACT_DETAILS = contactDetails(false);

const PREFERRED_NAMES = [opt('PreferredFirstName', NAME), opt('PreferredFamilyName', NAME), opt('PreferredSingleName', NAME)];

export const PERSONAL_DETAILS = obj(
  [
    el('Gender', GENDER),
    opt('FirstName', NAME),
    opt('MiddleName', MIDDLE_NAME),
    opt('FamilyName', NAME),
    opt('SingleName', NAME),
    el('DateOfBirth', DATE_OF_BIRTH),
    el('CountryOfBirthCode', COUNTRY_CODE),
    el('TownCityOfBirth', TOWN_CITY),
    el('IsPreferredName', { kind: 'boolean' }),
    ...PREFERRED_NAMES,
  ],
  [FULL_NAME_CHOICE],
);

export const PERSONAL_DETAILS_LOCATE = obj([
  el('Gender', GENDER),
  opt('FirstName', NAME),
  opt('MiddleName', MIDDLE_NAME),
  opt('FamilyName', NAME),
  opt('SingleName', NAME),
  el('DateOfBirth', DATE_OF_BIRTH),
  opt('TownCityOfBirth', TOWN_CITY),
]);

export const PERSONAL_DETAILS_UPDATE = obj(
  [
    opt('Gender', GENDER),
    opt('FirstName', NAME),
    opt('MiddleName', MIDDLE_NAME),
    opt('FamilyName', NAME),
    opt('SingleName', NAME),
    opt('DateOfBirth', DATE_OF_BIRTH),
    opt('CountryOfBirthCode', COUNTRY_CODE),
    opt('TownCityOfBirth', TOWN_CITY),
    ...PREFERRED_NAMES,
  ],
  [PARTIAL_NAME_CHOICE],
);

const ALNUM = xsdPattern('[A-Za-z0-9]*');

export const DVS_DOCUMENT: UnionSpec = {
  kind: 'union',
  discriminator: 'documentType',
  variants: {
    Medicare: {
      xsiType: 'MedicareDocumentType',
      spec: obj([
        el('MedicareCardNumber', str({ minLength: 10, maxLength: 10, pattern: xsdPattern('[0-9]*') })),
        el('IndividualRefNumber', str({ minLength: 1, maxLength: 1, pattern: xsdPattern('[1-9]') })),
        el('ExpiryDate', { kind: 'date', allowYearMonth: true }),
        el('CardColour', enumOf(MEDICARE_CARD_COLOURS)),
        el('NameLine1', str({ maxLength: 27 })),
        opt('NameLine2', str({ maxLength: 25 })),
        opt('NameLine3', str({ maxLength: 23 })),
        opt('NameLine4', str({ maxLength: 21 })),
      ]),
    },
    Passport: {
      xsiType: 'PassportDocumentType',
      spec: obj([el('DocumentNumber', str({ minLength: 8, maxLength: 9, pattern: xsdPattern('[a-zA-Z]{1,2}[0-9]{7}') }))]),
    },
    DriversLicence: {
      xsiType: 'DriversLicenceDocumentType',
      spec: obj([
        el('LicenceNumber', str({ minLength: 1, maxLength: 10 })),
        el('State', STATE),
        opt('CardNumber', str({ minLength: 1, maxLength: 10 })),
      ]),
    },
    BirthCertificate: {
      xsiType: 'BirthCertificateDocumentType',
      spec: obj([
        opt('RegistrationNumber', str({ minLength: 1, maxLength: 10 })),
        el('RegistrationState', STATE),
        opt('RegistrationDate', DATE),
        opt('DatePrinted', DATE),
        opt('CertificateNumber', str({ minLength: 1, maxLength: 11, pattern: ALNUM })),
      ]),
    },
    ImmiCard: {
      xsiType: 'ImmiCardDocumentType',
      spec: obj([el('ImmiCardNumber', str({ minLength: 9, maxLength: 9 }))]),
    },
    Visa: {
      xsiType: 'VisaDocumentType',
      spec: obj([el('PassportNumber', str({ minLength: 1, maxLength: 14, pattern: ALNUM }))]),
    },
    CitizenshipCertificate: {
      xsiType: 'CitizenshipCertificateDocumentType',
      spec: obj([
        el('StockNumber', str({ minLength: 4, maxLength: 11, pattern: xsdPattern('[-A-Za-z0-9/]*') })),
        el('AcquisitionDate', DATE),
      ]),
    },
    RegistrationByDescent: {
      xsiType: 'CertificateOfRegistrationByDescentDocumentType',
      spec: obj([el('AcquisitionDate', DATE)]),
    },
    CentrelinkCard: {
      xsiType: 'CentrelinkCardType',
      spec: obj([
        el('CRN', str({ minLength: 10, maxLength: 10, pattern: xsdPattern('[0-9]{9}[a-zA-Z]') })),
        el('Name', str({ maxLength: 32 })),
        el('ExpiryDate', DATE),
        el('Type', enumOf(CENTRELINK_CARD_TYPES)),
      ]),
    },
  },
};
