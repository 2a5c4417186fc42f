import type { OperationRequest, OperationResponse, UsiOperation } from '@usi/contract';
import { validateRequest } from '@usi/contract';
import { NotificationStore } from './notification.store';
import { processApplication } from './operations/application.operation';
import { BulkUploads } from './operations/bulk-upload.operation';
import { locateUsi } from './operations/locate.operation';
import { updateContactDetails, updatePersonalDetails } from './operations/update.operation';
import { verifyUsi } from './operations/verify.operation';
import { OrganisationStore } from './organisation.store';
import { PersonStore } from './person.store';
import { RequestLedger } from './request-ledger';
import { KNOWN_3PT_PEOPLE } from './seed/known-people.seed';
import { LOCATE_SCENARIO_PEOPLE } from './seed/locate-scenarios.seed';
import { SEED_NOTIFICATIONS, SEED_ORGANISATIONS } from './seed/organisations.seed';
import { generatePopulation } from './seed/population.seed';
import { COUNTRIES, NON_DVS_DOCUMENT_TYPES } from './seed/reference-data.seed';
import { seededRandom } from './seeded-random';
import { GENERIC_VALIDATION, unverifiedIdentityFault, UsiFault } from './usi-fault';

export interface RegistryOptions {
  clock?: () => Date;
  /** Runtime randomness (USIs of newly created people). Default Math.random. */
  random?: () => number;
  /** Generated people on top of the curated seed. Default 1000. */
  population?: number;
  /** Seed of the generated population; the same seed always gives the same people and USIs. */
  seed?: number;
  /** How long a BulkUpload takes before BulkUploadRetrieve answers. Default 2000 ms of `clock` time. */
  readyAfterMs?: number;
}

export interface Caller {
  abn: string;
  orgCode?: string;
}

type Handlers = { [O in UsiOperation]: (request: OperationRequest<O>, caller: Caller) => OperationResponse<O> };

export const DEFAULT_POPULATION_SEED = 0x05171;
const DEFAULT_POPULATION = 1000;
const DEFAULT_READY_AFTER_MS = 2000;
/** FieldError code @usi/contract gives a USI whose check character is wrong. */
const USI_CHECK_CHARACTER_ERROR = 'usi_check_character';

/** The simulated USI Registry: organisations, RAM notifications, people and the ten operations' business rules. */
export class Registry {
  readonly organisations = new OrganisationStore();
  readonly notifications = new NotificationStore();
  readonly people: PersonStore;
  private readonly clock: () => Date;
  private readonly bulkUploads: BulkUploads;
  private readonly createRequests = new RequestLedger<OperationRequest<'CreateUSI'>, OperationResponse<'CreateUSI'>>();

  constructor(opts: Omit<RegistryOptions, 'population' | 'seed'> = {}) {
    this.clock = opts.clock ?? (() => new Date());
    this.people = new PersonStore(opts.random ?? Math.random);
    this.bulkUploads = new BulkUploads(this.people, this.clock, opts.readyAfterMs ?? DEFAULT_READY_AFTER_MS);
  }

  /** A registry holding the 3PT organisations, notification and test people, the LocateUSI scenarios and a population. */
  static seeded(opts: RegistryOptions = {}): Registry {
    const registry = new Registry(opts);
    SEED_ORGANISATIONS.forEach((o) => registry.organisations.add(o));
    SEED_NOTIFICATIONS.forEach((n) => registry.notifications.add(n));
    [...KNOWN_3PT_PEOPLE, ...LOCATE_SCENARIO_PEOPLE].forEach((p) => registry.people.add(structuredClone(p)));
    const populationRandom = seededRandom(opts.seed ?? DEFAULT_POPULATION_SEED);
    generatePopulation(
      opts.population ?? DEFAULT_POPULATION,
      populationRandom,
      (p) => registry.people.add(p, populationRandom),
      (p) => registry.people.findByIdentity(p, p.dateOfBirth).length > 0,
    );
    return registry;
  }

  /**
   * Runs one operation for a caller the security layer has already authorised. Schema violations and identity
   * failures throw UsiFault (ErrorInfo 1002 / 2004); business outcomes are returned in-band.
   */
  async handle<O extends UsiOperation>(op: O, request: OperationRequest<O>, caller: Caller): Promise<OperationResponse<O>> {
    // A date of birth in the future or before 1900 is a Generic Validation fault, like a schema violation.
    const checked = validateRequest(op, request, { now: this.clock() });
    if (!checked.ok) {
      // The registry's schema only constrains a USI's alphabet and length; a wrong check character is a business
      // outcome (VerifyUSI "Invalid", update "not found"), not a fault.
      const errors = checked.errors.filter((e) => e.code !== USI_CHECK_CHARACTER_ERROR);
      if (errors.length > 0) {
        throw new UsiFault(errors.map((e) => ({ code: GENERIC_VALIDATION, title: 'Generic Validation', message: `${e.path}: ${e.message}` })));
      }
    }
    const handler = this.handlers[op] as (r: OperationRequest<O>, c: Caller) => OperationResponse<O>;
    return handler(checked.ok ? checked.value : request, caller);
  }

  receiptOwner(receiptNumber: string): string | undefined {
    return this.bulkUploads.owner(receiptNumber);
  }

  private readonly handlers: Handlers = {
    VerifyUSI: (req) => verifyUsi(this.people, req),
    BulkVerifyUSI: (req) => ({
      verificationResponses: req.verifications.map((v) => ({ ...verifyUsi(this.people, v), usi: v.usi, recordId: v.recordId })),
    }),
    CreateUSI: (req) =>
      this.createRequests.once(req.orgCode, req.requestId, req, () => {
        const application = processApplication(this.people, req.application, this.clock());
        if (application.identityDocumentVerified === 'False') throw unverifiedIdentityFault();
        return { application };
      }),
    BulkUpload: (req) => ({ receiptNumber: this.bulkUploads.submit(req.orgCode, req) }),
    BulkUploadRetrieve: (req, caller) => this.bulkUploads.retrieve(req.receiptNumber, caller.orgCode),
    LocateUSI: (req) => locateUsi(this.people, req),
    UpdateUSIPersonalDetails: (req) => updatePersonalDetails(this.people, req),
    UpdateUSIContactDetails: (req) => updateContactDetails(this.people, req),
    GetNonDvsDocumentTypes: () => ({ nonDvsDocumentTypes: NON_DVS_DOCUMENT_TYPES.map((d) => ({ ...d })) }),
    GetCountries: () => ({ countries: COUNTRIES.map((c) => ({ ...c })) }),
  };
}
