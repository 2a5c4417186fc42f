import type { LocateResult, LocateUsiRequest, LocateUsiResponse, PartialContactDetails } from '@usi/contract';
import { normaliseName, sameName } from '../name-match';
import { Person } from '../person';
import { PersonStore, sameIdentityName } from '../person.store';

/** The LocateUSI schema requires a USI element; the simulator leaves it empty when no single USI may be disclosed. */
export const UNDISCLOSED_USI = '';

const MESSAGES: Record<LocateResult, string> = {
  Exact: 'A USI was found that matches the personal and contact details supplied.',
  MultipleExact: 'More than one USI matches the personal and contact details supplied. The student should contact the USI Office.',
  SingleNoContactMatch:
    'A USI matches the personal details, but the contact details supplied do not match those recorded. The student can retrieve their USI at usi.gov.au.',
  MultipleNoContactMatch:
    'More than one USI matches the personal details, but the contact details supplied do not match those recorded. The student should contact the USI Office.',
  NoMatch: 'No USI matches the details supplied.',
  NoIdenticalStrongPartial:
    'No USI matches all of the personal details supplied, but a record matches some of them. Check the details with the student.',
};

/**
 * Identical = same name, date of birth and gender. Among identical records, a contact match (any supplied email,
 * phone or address equal to the recorded one) decides between the "Exact" and "NoContactMatch" results. Without any
 * identical record, a date of birth plus one name part is a strong partial.
 */
export function locateUsi(people: PersonStore, req: LocateUsiRequest): LocateUsiResponse {
  const pd = req.personalDetails;
  const sameBirth = people.list().filter((p) => p.dateOfBirth === pd.dateOfBirth);
  const identical = sameBirth.filter((p) => p.gender === pd.gender && sameIdentityName(p, pd));
  const contactMatched = identical.filter((p) => contactMatches(p, req.contactDetails));

  let result: LocateResult;
  let usi = UNDISCLOSED_USI;
  if (contactMatched.length === 1) {
    result = 'Exact';
    usi = contactMatched[0].usi;
  } else if (contactMatched.length > 1) result = 'MultipleExact';
  else if (identical.length === 1) result = 'SingleNoContactMatch';
  else if (identical.length > 1) result = 'MultipleNoContactMatch';
  else if (sameBirth.some((p) => isStrongPartial(p, pd))) result = 'NoIdenticalStrongPartial';
  else result = 'NoMatch';
  return { result, usi, contactDetailsMessage: MESSAGES[result] };
}

function isStrongPartial(p: Person, pd: LocateUsiRequest['personalDetails']): boolean {
  return sameName(p.familyName, pd.familyName) || sameName(p.firstName, pd.firstName) || sameName(p.singleName, pd.singleName)
    || sameIdentityName(p, pd);
}

function contactMatches(p: Person, c: PartialContactDetails): boolean {
  const recorded = p.contact;
  const sameText = (a: string | undefined, b: string | undefined) => sameName(a, b);
  const samePhone = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && digits(a) !== '' && digits(a) === digits(b);
  const given = c.nationalAddress;
  const held = recorded.nationalAddress;
  return (
    sameText(c.emailAddress, recorded.emailAddress) ||
    samePhone(c.phone?.mobile, recorded.phone?.mobile) ||
    samePhone(c.phone?.home, recorded.phone?.home) ||
    sameText(c.internationalAddress, recorded.internationalAddress) ||
    (given !== undefined && held !== undefined && given.postCode === held.postCode &&
      normaliseName(given.address1) === normaliseName(held.address1))
  );
}

const digits = (s: string) => s.replace(/\D/g, '');
