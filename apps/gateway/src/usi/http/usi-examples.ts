/** Request/response examples for the OpenAPI document (public 3PT test identities, not real people). */
const APPLICATION = {
  applicationId: 'APP-0001',
  dvsCheckRequired: true,
  userReference: 'enrolment-42',
  contactDetails: {
    countryOfResidenceCode: '1101',
    emailAddress: 'student@example.com.au',
    nationalAddress: { address1: '1 Example St', suburbTownCity: 'CANBERRA', state: 'ACT', postCode: '2600' },
  },
  personalDetails: {
    gender: 'F',
    firstName: 'Maryam',
    familyName: 'Fredrick',
    isPreferredName: false,
    dateOfBirth: '1966-05-25',
    countryOfBirthCode: '1101',
    townCityOfBirth: 'Canberra',
  },
  dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111' },
};

const APPLICATION_RESPONSE = {
  processedDate: '2026-03-01T10:15:00+11:00',
  applicationId: 'APP-0001',
  result: 'MatchFound',
  identityDocumentVerified: 'True',
  usi: 'BNGH7C75FN',
};

export const USI_EXAMPLES = {
  verify: {
    request: { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' },
    response: { usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' },
  },
  batchVerify: {
    request: {
      noOfVerifications: 2,
      verifications: [
        { recordId: 1, usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' },
        { recordId: 2, usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' },
      ],
    },
    response: {
      verificationResponses: [
        { recordId: 1, usi: 'BNGH7C75FN', usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' },
        { recordId: 2, usi: 'XNY5NV9WG9', usiStatus: 'Valid', singleName: 'Match', dateOfBirth: 'Match' },
      ],
    },
  },
  create: { request: APPLICATION, response: APPLICATION_RESPONSE },
  locate: {
    request: {
      userReference: 'locate-7',
      personalDetails: { firstName: 'Olivia', familyName: 'Harcastle', gender: 'F', dateOfBirth: '1992-03-14' },
      contactDetails: { emailAddress: 'olivia.harcastle@example.com.au' },
    },
    response: { result: 'Exact', usi: 'LCXCT7A2QR', contactDetailsMessage: 'Contact details match' },
  },
  personalDetails: {
    request: {
      dvsCheckRequired: false,
      userReference: 'update-1',
      personalDetailsModifier: 'FamilyName',
      personalDetailsUpdate: { familyName: 'Fredrick-Smith' },
      nonDvsDocumentTypeId: 5,
    },
    response: { result: 'Success', identityDocumentVerified: 'NotRequired' },
  },
  contactDetails: {
    request: { userReference: 'update-2', contactDetailsUpdate: { emailAddress: 'new.address@example.com.au' } },
    response: { result: 'Success' },
  },
  bulkUpload: {
    request: { noOfApplications: 1, applications: [APPLICATION] },
    response: { receiptNumber: '3f2c9c4e-6f1d-4b8e-9a51-0c7d2b1e8a44' },
  },
  bulkUploadRetrieve: {
    response: { noOfApplications: 1, noOfApplicationsFailed: 0, applications: [APPLICATION_RESPONSE] },
  },
  countries: { response: { countries: [{ countryCode: '1101', name: 'Australia', isCurrent: true }] } },
  documentTypes: { response: { nonDvsDocumentTypes: [{ id: 5, documentType: 'Other', sortOrder: 1 }] } },
  connectionTest: {
    response: { ok: true, status: 'active', connectionMode: 'my_cloud', testedAt: '2026-03-01T10:15:00.000Z', softwareId: '0000123400', vendorAbn: '11000002568' },
  },
};
