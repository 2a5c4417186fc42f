import type { Gender, State } from '@usi/contract';
import { NewPerson } from '../person';
import { RegistryError } from '../registry.error';

const FIRST_NAMES: [string, Gender][] = [
  ['Jack', 'M'], ['Oliver', 'M'], ['William', 'M'], ['Noah', 'M'], ['Thomas', 'M'], ['James', 'M'], ['Lucas', 'M'],
  ['Ethan', 'M'], ['Liam', 'M'], ['Mason', 'M'], ['Hamish', 'M'], ['Ravi', 'M'], ['Minh', 'M'], ['Mohammed', 'M'],
  ['Charlotte', 'F'], ['Olivia', 'F'], ['Amelia', 'F'], ['Isla', 'F'], ['Mia', 'F'], ['Ava', 'F'], ['Grace', 'F'],
  ['Chloe', 'F'], ['Zoe', 'F'], ['Sienna', 'F'], ['Priya', 'F'], ['Mei', 'F'], ['Fatima', 'F'], ['Aroha', 'F'],
  ['Alex', 'X'], ['Jordan', 'X'], ['Riley', 'X'], ['Sam', 'X'],
];
const FAMILY_NAMES = [
  'Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Nguyen', 'Johnson', 'Martin', 'White', 'Anderson',
  'Walker', 'Thompson', 'Thomas', 'Lee', 'Ryan', 'Kelly', 'Harris', 'King', 'Robinson', 'Campbell', 'Clarke',
  'Young', 'Mitchell', 'Tran', 'Singh', 'Patel', 'Chen', 'Wang', 'Papadopoulos', 'Rossi', 'OConnor', 'Murphy',
  'Hughes', 'Edwards', 'Baker', 'Cooper', 'Hall', 'Wood', 'Russell',
];
const TOWNS: [string, State, string][] = [
  ['SYDNEY', 'NSW', '2000'], ['PARRAMATTA', 'NSW', '2150'], ['NEWCASTLE', 'NSW', '2300'], ['MELBOURNE', 'VIC', '3000'],
  ['GEELONG', 'VIC', '3220'], ['BRISBANE CITY', 'QLD', '4000'], ['CAIRNS', 'QLD', '4870'], ['ADELAIDE', 'SA', '5000'],
  ['PERTH', 'WA', '6000'], ['BUNBURY', 'WA', '6230'], ['HOBART', 'TAS', '7000'], ['DARWIN CITY', 'NT', '0800'],
  ['CANBERRA', 'ACT', '2601'],
];
const STREETS = ['High St', 'Station Rd', 'Church St', 'Park Ave', 'Victoria St', 'Main Rd', 'King St', 'Ocean Pde'];
/** Birth countries weighted towards Australia, as in the student population. */
const BIRTH_COUNTRIES = ['1101', '1101', '1101', '1101', '1101', '1201', '2102', '5105', '6101', '7103', '5204'];
const SINGLE_NAME_RATE = 0.02;
const DEACTIVATED_RATE = 0.02;

/**
 * A deterministic synthetic population: the same `random` sequence always gives the same people. USIs are drawn by
 * the store from the same sequence, so they are deterministic too. Identities already present (`taken`) are skipped so
 * generated people never disturb the curated scenarios.
 */
export function generatePopulation(
  count: number,
  random: () => number,
  add: (person: NewPerson) => void,
  isTaken: (person: NewPerson) => boolean,
): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  let added = 0;
  // A degenerate random source (e.g. a constant) would redraw the same taken identity forever.
  for (let attempts = 0; added < count; attempts++) {
    if (attempts > count * 20 + 100) throw new RegistryError('sim.population_exhausted', 'The random source keeps repeating identities');
    const [firstName, gender] = pick(FIRST_NAMES);
    const familyName = pick(FAMILY_NAMES);
    const [suburb, state, postCode] = pick(TOWNS);
    const dateOfBirth = randomDate(random, 1950, 2008);
    const singleName = random() < SINGLE_NAME_RATE;
    const serial = added + 1;
    const person: NewPerson = {
      gender,
      ...(singleName ? { singleName: firstName } : { firstName, familyName }),
      dateOfBirth,
      countryOfBirthCode: pick(BIRTH_COUNTRIES),
      townCityOfBirth: suburb,
      status: random() < DEACTIVATED_RATE ? 'deactivated' : 'active',
      contact: {
        countryOfResidenceCode: '1101',
        emailAddress: `${firstName}.${singleName ? '' : familyName}${serial}@example.com.au`.toLowerCase(),
        phone: { mobile: `04${String(Math.floor(random() * 1e8)).padStart(8, '0')}` },
        nationalAddress: { address1: `${1 + Math.floor(random() * 200)} ${pick(STREETS)}`, suburbTownCity: suburb, state, postCode },
      },
    };
    if (isTaken(person)) continue;
    add(person);
    added++;
  }
}

function randomDate(random: () => number, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 11, 31);
  return new Date(from + Math.floor(random() * ((to - from) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}
