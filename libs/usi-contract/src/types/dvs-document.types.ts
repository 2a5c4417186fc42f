import type { CentrelinkCardKind, MedicareCardColour, State } from './enums';

/** The nine concrete DVSDocument kinds; each maps to one XSD `xsi:type`. */
export const DVS_DOCUMENT_TYPES = [
  'Medicare',
  'Passport',
  'DriversLicence',
  'BirthCertificate',
  'ImmiCard',
  'Visa',
  'CitizenshipCertificate',
  'RegistrationByDescent',
  'CentrelinkCard',
] as const;
export type DvsDocumentType = (typeof DVS_DOCUMENT_TYPES)[number];

export interface MedicareDocument {
  documentType: 'Medicare';
  medicareCardNumber: string;
  individualRefNumber: string;
  /** YYYY-MM-DD or YYYY-MM (xs:date | xs:gYearMonth). */
  expiryDate: string;
  cardColour: MedicareCardColour;
  nameLine1: string;
  nameLine2?: string;
  nameLine3?: string;
  nameLine4?: string;
}

export interface PassportDocument {
  documentType: 'Passport';
  documentNumber: string;
}

export interface DriversLicenceDocument {
  documentType: 'DriversLicence';
  licenceNumber: string;
  state: State;
  cardNumber?: string;
}

export interface BirthCertificateDocument {
  documentType: 'BirthCertificate';
  registrationNumber?: string;
  registrationState: State;
  registrationDate?: string;
  datePrinted?: string;
  certificateNumber?: string;
}

export interface ImmiCardDocument {
  documentType: 'ImmiCard';
  immiCardNumber: string;
}

/** Foreign passport holding an Australian visa. */
export interface VisaDocument {
  documentType: 'Visa';
  passportNumber: string;
}

export interface CitizenshipCertificateDocument {
  documentType: 'CitizenshipCertificate';
  stockNumber: string;
  acquisitionDate: string;
}

export interface RegistrationByDescentDocument {
  documentType: 'RegistrationByDescent';
  acquisitionDate: string;
}

export interface CentrelinkCardDocument {
  documentType: 'CentrelinkCard';
  crn: string;
  name: string;
  expiryDate: string;
  type: CentrelinkCardKind;
}

export type DvsDocument =
  | MedicareDocument
  | PassportDocument
  | DriversLicenceDocument
  | BirthCertificateDocument
  | ImmiCardDocument
  | VisaDocument
  | CitizenshipCertificateDocument
  | RegistrationByDescentDocument
  | CentrelinkCardDocument;
