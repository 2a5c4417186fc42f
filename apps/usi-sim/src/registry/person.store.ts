import { generateUsi, isValidUsi } from '@usi/contract';
import { sameName } from './name-match';
import { NewPerson, Person, PersonNameFields } from './person';
import { RegistryError } from './registry.error';

/** How often to redraw a generated USI that is already taken before giving up (a collision is ~1 in 32^9). */
const MAX_USI_DRAWS = 20;

export class PersonStore {
  private readonly byUsi = new Map<string, Person>();

  constructor(private readonly random: () => number) {}

  /** Adds a person; a missing USI is drawn from `random` (default: the store's), a given one must be valid and unused. */
  add(input: NewPerson, random: () => number = this.random): Person {
    const usi = input.usi ?? this.freshUsi(random);
    if (!isValidUsi(usi)) throw new RegistryError('sim.invalid_usi', 'USI fails the format or check-character rule');
    if (this.byUsi.has(usi)) throw new RegistryError('sim.duplicate_usi', 'A person with this USI already exists');
    const person: Person = {
      ...input,
      usi,
      status: input.status ?? 'active',
      contactPermissions: (input.contactPermissions ?? []).map((c) => c.toUpperCase()),
    };
    this.byUsi.set(usi, person);
    return person;
  }

  findByUsi(usi: string): Person | undefined {
    return this.byUsi.get(usi.toUpperCase());
  }

  /** People whose name (first + family, or single) and date of birth match, case-insensitively. */
  findByIdentity(name: PersonNameFields, dateOfBirth: string): Person[] {
    return this.list().filter((p) => p.dateOfBirth === dateOfBirth && sameIdentityName(p, name));
  }

  list(): Person[] {
    return [...this.byUsi.values()];
  }

  get size(): number {
    return this.byUsi.size;
  }

  private freshUsi(random: () => number): string {
    for (let i = 0; i < MAX_USI_DRAWS; i++) {
      const usi = generateUsi(random);
      if (!this.byUsi.has(usi)) return usi;
    }
    throw new RegistryError('sim.usi_exhausted', 'Could not draw an unused USI; is the random source constant?');
  }
}

/** Single-name people only match single-name queries, and first+family only first+family ones. */
export function sameIdentityName(person: PersonNameFields, name: PersonNameFields): boolean {
  if (name.singleName !== undefined || person.singleName !== undefined) return sameName(person.singleName, name.singleName);
  return sameName(person.firstName, name.firstName) && sameName(person.familyName, name.familyName);
}
