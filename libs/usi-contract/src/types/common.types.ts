import type { Gender, State } from './enums';

/** XSD `ErrorType`: an in-band business error (`E` + 3 digits) returned alongside `Result=Failure`. */
export interface ResponseError {
  code: string;
  message: string;
}

/** VerifyUSI / VerificationType name choice: first + family name, or a single name, never both. */
export type PersonName =
  | { firstName: string; familyName: string; singleName?: undefined }
  | { singleName: string; firstName?: undefined; familyName?: undefined };

/** PersonalDetailsType name choice; the middle name belongs to the first/family branch. */
export type FullName =
  | { firstName: string; middleName?: string; familyName: string; singleName?: undefined }
  | { singleName: string; firstName?: undefined; middleName?: undefined; familyName?: undefined };

/** PersonalDetailsUpdateType: the same choice with every member optional. */
export type PartialFullName =
  | { firstName?: string; middleName?: string; familyName?: string; singleName?: undefined }
  | { singleName?: string; firstName?: undefined; middleName?: undefined; familyName?: undefined };

export interface Phone {
  home?: string;
  mobile?: string;
}

export interface NationalAddress {
  address1: string;
  address2?: string;
  suburbTownCity: string;
  state: State;
  postCode: string;
}

/** Optional choice between a free-text international address and a structured Australian one. */
export type AddressChoice =
  | { internationalAddress?: string; nationalAddress?: undefined }
  | { nationalAddress?: NationalAddress; internationalAddress?: undefined };

export type ContactDetails = { countryOfResidenceCode: string; emailAddress?: string; phone?: Phone } & AddressChoice;

/** ContactDetailsLocateType and ContactDetailsUpdateType share this all-optional shape. */
export type PartialContactDetails = {
  countryOfResidenceCode?: string;
  emailAddress?: string;
  phone?: Phone;
} & AddressChoice;

export type PersonalDetails = {
  gender: Gender;
  dateOfBirth: string;
  countryOfBirthCode: string;
  townCityOfBirth: string;
  isPreferredName: boolean;
  preferredFirstName?: string;
  preferredFamilyName?: string;
  preferredSingleName?: string;
} & FullName;

export interface PersonalDetailsLocate {
  gender: Gender;
  firstName?: string;
  middleName?: string;
  familyName?: string;
  singleName?: string;
  dateOfBirth: string;
  townCityOfBirth?: string;
}

export type PersonalDetailsUpdate = {
  gender?: Gender;
  dateOfBirth?: string;
  countryOfBirthCode?: string;
  townCityOfBirth?: string;
  preferredFirstName?: string;
  preferredFamilyName?: string;
  preferredSingleName?: string;
} & PartialFullName;
