import type { OperationRequest, OperationResponse, UsiOperation } from '../operations/usi-operation';
import type { Application, ApplicationResponse } from '../types/application.types';
import type { DvsDocument } from '../types/dvs-document.types';

/**
 * Schema-valid sample messages for specs (this lib's and its consumers'); the names and numbers are the public 3PT
 * mock-DVS values, not real people. Not exported from the package index.
 */
export const SAMPLE_DVS_DOCUMENTS: readonly DvsDocument[] = [
  {
    documentType: 'Medicare',
    medicareCardNumber: '1111111111',
    individualRefNumber: '1',
    expiryDate: '2023-04',
    cardColour: 'Green',
    nameLine1: 'Imperio Cristina Vloedgrave',
    nameLine2: 'n',
  },
  { documentType: 'Passport', documentNumber: 'X1111111' },
  { documentType: 'DriversLicence', licenceNumber: '111111', state: 'ACT', cardNumber: 'A001234567' },
  {
    documentType: 'BirthCertificate',
    registrationNumber: '11111111',
    registrationState: 'ACT',
    registrationDate: '2001-10-25',
    datePrinted: '1991-05-20',
    certificateNumber: '811767',
  },
  { documentType: 'ImmiCard', immiCardNumber: 'ABC111111' },
  { documentType: 'Visa', passportNumber: '111111' },
  { documentType: 'CitizenshipCertificate', stockNumber: 'ACC111111', acquisitionDate: '1988-05-30' },
  { documentType: 'RegistrationByDescent', acquisitionDate: '2013-01-01' },
  { documentType: 'CentrelinkCard', crn: '111111111X', name: 'Hamfast Simona Marija Hauta-aho', expiryDate: '2024-06-15', type: 'SHC' },
];

export function sampleApplication(applicationId: string, dvsDocument?: DvsDocument): Application {
  return {
    applicationId,
    dvsCheckRequired: true,
    userReference: `ref-${applicationId}`,
    contactDetails: {
      countryOfResidenceCode: '1101',
      emailAddress: 'freddy+37835062@tes.com',
      phone: { home: '0255555555', mobile: '0412341234' },
      nationalAddress: { address1: '2872 Lenaerts St', suburbTownCity: 'BROADMEADOWS', state: 'TAS', postCode: '7330' },
    },
    personalDetails: {
      gender: 'X',
      firstName: 'Bragi',
      middleName: 'Addison',
      familyName: 'Threlkeld',
      dateOfBirth: '1970-08-28',
      countryOfBirthCode: '1101',
      townCityOfBirth: 'Springfield',
      isPreferredName: false,
    },
    ...(dvsDocument ? { dvsDocument } : { nonDvsDocumentTypeId: 5 }),
  };
}

const APPLICATION_RESPONSE: ApplicationResponse = {
  processedDate: '2026-05-01T10:15:30.123+10:00',
  applicationId: '1',
  result: 'Success',
  identityDocumentVerified: 'True',
  usi: 'BNGH7C75FN',
};

export const SAMPLE_REQUESTS: { [O in UsiOperation]: OperationRequest<O> } = {
  VerifyUSI: { orgCode: 'VA1803', usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' },
  BulkVerifyUSI: {
    orgCode: 'VA1803',
    noOfVerifications: 2,
    verifications: [
      { recordId: 1, usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' },
      { recordId: 2, usi: 'HQ9HHNJC3J', firstName: 'BERT', familyName: 'ZYWIEC', dateOfBirth: '1986-04-22' },
    ],
  },
  CreateUSI: { requestId: 'req-1', orgCode: 'VA1803', application: sampleApplication('1', SAMPLE_DVS_DOCUMENTS[2]) },
  BulkUpload: {
    orgCode: 'VA1803',
    requestId: 'bulk-1',
    noOfApplications: SAMPLE_DVS_DOCUMENTS.length + 1,
    applications: [
      ...SAMPLE_DVS_DOCUMENTS.map((doc, i) => sampleApplication(String(i + 1), doc)),
      sampleApplication(String(SAMPLE_DVS_DOCUMENTS.length + 1)),
    ],
  },
  BulkUploadRetrieve: { receiptNumber: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
  LocateUSI: {
    orgCode: 'VA1803',
    userReference: 'locate-1',
    personalDetails: { gender: 'F', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25', townCityOfBirth: 'Town' },
    contactDetails: { emailAddress: 'email@address.com', phone: { mobile: '0412345678' } },
  },
  UpdateUSIPersonalDetails: {
    orgCode: 'VA1803',
    usi: 'BNGH7C75FN',
    dvsCheckRequired: true,
    userReference: 'upd-1',
    personalDetailsModifier: 'FirstName',
    personalDetailsUpdate: { gender: 'F', firstName: 'Maryam', familyName: 'Fredrick', preferredFirstName: 'May' },
    dvsDocument: SAMPLE_DVS_DOCUMENTS[0],
  },
  UpdateUSIContactDetails: {
    orgCode: 'VA1803',
    usi: 'BNGH7C75FN',
    userReference: 'upd-2',
    contactDetailsUpdate: { countryOfResidenceCode: '9999', internationalAddress: '1 Rue <de> "Paris" & Co\nFrance' },
  },
  GetNonDvsDocumentTypes: { orgCode: 'VA1803' },
  GetCountries: { orgCode: 'VA1803' },
};

export const SAMPLE_RESPONSES: { [O in UsiOperation]: OperationResponse<O> } = {
  VerifyUSI: { usiStatus: 'Valid', firstName: 'Match', familyName: 'NoMatch', dateOfBirth: 'Match' },
  BulkVerifyUSI: {
    verificationResponses: [
      { usiStatus: 'Valid', singleName: 'Match', dateOfBirth: 'Match', usi: 'XNY5NV9WG9', recordId: 1 },
      { usiStatus: 'Deactivated', usi: 'HQ9HHNJC3J', recordId: 2 },
    ],
  },
  CreateUSI: { application: APPLICATION_RESPONSE },
  BulkUpload: { receiptNumber: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
  BulkUploadRetrieve: {
    requestId: 'bulk-1',
    noOfApplications: 2,
    noOfApplicationsFailed: 1,
    applications: [
      APPLICATION_RESPONSE,
      {
        ...APPLICATION_RESPONSE,
        applicationId: '2',
        result: 'Failure',
        identityDocumentVerified: 'False',
        usi: undefined,
        errors: [{ code: 'E101', message: 'Failed to create USI record, multiple existing records were found.' }],
      },
    ],
  },
  LocateUSI: { result: 'Exact', usi: 'GSR3R49PPX', contactDetailsMessage: '' },
  UpdateUSIPersonalDetails: { result: 'Failure', identityDocumentVerified: 'NotRequired', errors: [{ code: 'E200', message: 'x' }] },
  UpdateUSIContactDetails: { result: 'Success' },
  GetNonDvsDocumentTypes: {
    nonDvsDocumentTypes: [
      { id: 5, documentType: 'Other', sortOrder: 2 },
      { id: -1, documentType: 'Bank card', sortOrder: 1 },
    ],
  },
  GetCountries: { countries: [{ countryCode: '1101', name: 'Australia', isCurrent: true }] },
};
