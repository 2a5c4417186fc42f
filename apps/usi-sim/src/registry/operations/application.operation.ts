import type { Application, ApplicationResponse } from '@usi/contract';
import { BUSINESS_ERRORS } from '../business-errors';
import { identityCheck } from '../identity-check';
import { PersonStore } from '../person.store';

/**
 * One USI application as CreateUSI and BulkUpload process it: identity check, then duplicate search by name and
 * date of birth, then creation. A failed DVS check is reported in-band here; CreateUSI turns it into a 2004 fault.
 */
export function processApplication(people: PersonStore, app: Application, processedAt: Date): ApplicationResponse {
  const base = { processedDate: processedAt.toISOString(), applicationId: app.applicationId };
  const identityDocumentVerified = identityCheck(app.dvsCheckRequired, app.dvsDocument);
  if (identityDocumentVerified === 'False') {
    return { ...base, result: 'Failure', identityDocumentVerified, errors: [{ ...BUSINESS_ERRORS.identityNotVerified }] };
  }
  const { personalDetails: pd, contactDetails } = app;
  const existing = people.findByIdentity(pd, pd.dateOfBirth);
  if (existing.length === 1) return { ...base, result: 'MatchFound', identityDocumentVerified, usi: existing[0].usi };
  if (existing.length > 1) {
    return { ...base, result: 'Failure', identityDocumentVerified, errors: [{ ...BUSINESS_ERRORS.multipleExistingRecords }] };
  }
  const person = people.add({
    gender: pd.gender,
    firstName: pd.firstName,
    middleName: pd.middleName,
    familyName: pd.familyName,
    singleName: pd.singleName,
    dateOfBirth: pd.dateOfBirth,
    countryOfBirthCode: pd.countryOfBirthCode,
    townCityOfBirth: pd.townCityOfBirth,
    preferredFirstName: pd.preferredFirstName,
    preferredFamilyName: pd.preferredFamilyName,
    preferredSingleName: pd.preferredSingleName,
    contact: structuredClone(contactDetails),
  });
  return { ...base, result: 'Success', identityDocumentVerified, usi: person.usi };
}
