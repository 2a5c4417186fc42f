import type { ContactDetails, Gender } from '@usi/contract';

export type PersonStatus = 'active' | 'deactivated';

/**
 * A registry record. Names are stored as loose optional fields (rather than the contract's first/family-or-single
 * union) because updates may switch a person between the two forms.
 */
export interface PersonNameFields {
  firstName?: string;
  middleName?: string;
  familyName?: string;
  singleName?: string;
}

export interface Person extends PersonNameFields {
  usi: string;
  gender: Gender;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  countryOfBirthCode: string;
  townCityOfBirth: string;
  preferredFirstName?: string;
  preferredFamilyName?: string;
  preferredSingleName?: string;
  contact: ContactDetails;
  status: PersonStatus;
  /** Org codes the student allowed to update their contact details. */
  contactPermissions: string[];
}

/** What callers supply to create a person; the store fills in the rest. */
export type NewPerson = Omit<Person, 'usi' | 'status' | 'contactPermissions'> &
  Partial<Pick<Person, 'usi' | 'status' | 'contactPermissions'>>;
