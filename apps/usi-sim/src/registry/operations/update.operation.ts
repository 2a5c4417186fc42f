import type {
  PersonalDetailsModifier,
  PersonalDetailsUpdate,
  UpdateUsiContactDetailsRequest,
  UpdateUsiContactDetailsResponse,
  UpdateUsiPersonalDetailsRequest,
  UpdateUsiPersonalDetailsResponse,
} from '@usi/contract';
import { BUSINESS_ERRORS, BusinessError } from '../business-errors';
import { identityCheck } from '../identity-check';
import { Person } from '../person';
import { PersonStore } from '../person.store';
import { unverifiedIdentityFault } from '../usi-fault';

/** PersonalDetailsModifier value → the update field it names. */
const MODIFIED_FIELD: Record<PersonalDetailsModifier, keyof PersonalDetailsUpdate> = {
  FirstName: 'firstName',
  MiddleName: 'middleName',
  FamilyName: 'familyName',
  SingleName: 'singleName',
  DateOfBirth: 'dateOfBirth',
  CountryOfBirth: 'countryOfBirthCode',
  TownCityOfBirth: 'townCityOfBirth',
  Gender: 'gender',
  PreferredFirstName: 'preferredFirstName',
  PreferredFamilyName: 'preferredFamilyName',
  PreferredSingleName: 'preferredSingleName',
};

const failure = (error: BusinessError) => ({ result: 'Failure' as const, errors: [{ ...error }] });

/** An updatable person, or the in-band error explaining why not. */
function activePerson(people: PersonStore, usi: string): Person | BusinessError {
  const person = people.findByUsi(usi);
  if (!person) return BUSINESS_ERRORS.usiNotFound;
  if (person.status === 'deactivated') return BUSINESS_ERRORS.usiDeactivated;
  return person;
}

export function updatePersonalDetails(
  people: PersonStore,
  req: UpdateUsiPersonalDetailsRequest,
): UpdateUsiPersonalDetailsResponse {
  const target = activePerson(people, req.usi);
  const identityDocumentVerified = identityCheck(req.dvsCheckRequired, req.dvsDocument);
  if (!('usi' in target)) return { ...failure(target), identityDocumentVerified };
  if (identityDocumentVerified === 'False') throw unverifiedIdentityFault();
  const update = req.personalDetailsUpdate;
  if (update[MODIFIED_FIELD[req.personalDetailsModifier]] === undefined) {
    return { ...failure(BUSINESS_ERRORS.modifiedFieldMissing), identityDocumentVerified };
  }
  applyPersonalUpdate(target, update);
  return { result: 'Success', identityDocumentVerified };
}

/** Switching between the single-name and first/family forms clears the other form. */
function applyPersonalUpdate(person: Person, update: PersonalDetailsUpdate): void {
  if (update.singleName !== undefined) {
    person.firstName = person.middleName = person.familyName = undefined;
  } else if (update.firstName !== undefined || update.familyName !== undefined) {
    person.singleName = undefined;
  }
  for (const [key, value] of Object.entries(update)) {
    if (value !== undefined) Object.assign(person, { [key]: value });
  }
}

export function updateContactDetails(
  people: PersonStore,
  req: UpdateUsiContactDetailsRequest,
): UpdateUsiContactDetailsResponse {
  const target = activePerson(people, req.usi);
  if (!('usi' in target)) return failure(target);
  if (!target.contactPermissions.includes(req.orgCode.toUpperCase())) return failure(BUSINESS_ERRORS.noContactPermission);
  const { nationalAddress, internationalAddress, phone, ...rest } = req.contactDetailsUpdate;
  const contact = { ...target.contact, ...definedOnly(rest) };
  if (phone) contact.phone = { ...target.contact.phone, ...definedOnly(phone) };
  if (nationalAddress) Object.assign(contact, { nationalAddress, internationalAddress: undefined });
  if (internationalAddress !== undefined) Object.assign(contact, { internationalAddress, nationalAddress: undefined });
  target.contact = contact;
  return { result: 'Success' };
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
