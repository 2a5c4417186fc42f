import type { MatchResult, PersonName, VerifyUsiResponse } from '@usi/contract';
import { isValidUsi } from '@usi/contract';
import { sameName } from '../name-match';
import { PersonStore } from '../person.store';

export type VerifyQuery = { usi: string; dateOfBirth: string } & PersonName;

const match = (ok: boolean): MatchResult => (ok ? 'Match' : 'NoMatch');

/**
 * VerifyUSI semantics: Invalid (unknown USI or bad check character) carries no match fields; otherwise each name
 * element sent is answered Match/NoMatch, in the same first+family or single-name branch the caller used.
 */
export function verifyUsi(people: PersonStore, q: VerifyQuery): VerifyUsiResponse {
  const person = isValidUsi(q.usi) ? people.findByUsi(q.usi) : undefined;
  if (!person) return { usiStatus: 'Invalid' };
  const usiStatus = person.status === 'deactivated' ? 'Deactivated' : 'Valid';
  const dateOfBirth = match(person.dateOfBirth === q.dateOfBirth);
  if (q.singleName !== undefined) {
    return { usiStatus, singleName: match(sameName(person.singleName, q.singleName)), dateOfBirth };
  }
  return {
    usiStatus,
    firstName: match(sameName(person.firstName, q.firstName)),
    familyName: match(sameName(person.familyName, q.familyName)),
    dateOfBirth,
  };
}
