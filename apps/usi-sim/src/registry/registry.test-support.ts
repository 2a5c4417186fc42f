import type { Application, DvsDocument } from '@usi/contract';
import { Registry } from './registry';
import { UsiFault } from './usi-fault';

/** A controllable clock for specs: starts at `start` and moves only when told to. */
export function manualClock(start = '2025-09-01T00:00:00.000Z') {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

export const DIRECT = { abn: '27809366375', orgCode: 'VA1803' };
export const CLOUD = { abn: '96312011219', orgCode: 'VA1802' };

/** A small seeded registry (population kept small so each spec builds it quickly). */
export function smallRegistry(clock = manualClock(), opts: { readyAfterMs?: number } = {}) {
  return Registry.seeded({ clock: clock.now, population: 20, ...opts });
}

export const PASSING_PASSPORT: DvsDocument = { documentType: 'Passport', documentNumber: 'X1111111' };

export function application(overrides: Partial<Application> & { personalDetails?: Application['personalDetails'] } = {}): Application {
  return {
    applicationId: 'A1',
    dvsCheckRequired: true,
    userReference: 'spec',
    contactDetails: { countryOfResidenceCode: '1101', emailAddress: 'new.student@example.com.au' },
    personalDetails: {
      gender: 'F', firstName: 'Brand', familyName: 'Newstudent', dateOfBirth: '2001-02-03',
      countryOfBirthCode: '1101', townCityOfBirth: 'Geelong', isPreferredName: false,
    },
    dvsDocument: PASSING_PASSPORT,
    ...overrides,
  };
}

/** Runs `fn` and returns the UsiFault it throws (failing the spec if it does not throw one). */
export async function faultOf(fn: () => Promise<unknown>): Promise<UsiFault> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UsiFault)) throw new Error(`expected a UsiFault, got ${String(error)}`);
  return error;
}
