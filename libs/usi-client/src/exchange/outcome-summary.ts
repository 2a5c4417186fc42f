import type {
  ApplicationResponse,
  IdentityDocumentVerified,
  OperationResponse,
  UsiOperation,
  UsiStatus,
  VerifyUsiResponse,
} from '@usi/contract';

/** Per-record tallies of a batch or list answer. */
export interface OutcomeCounts {
  total: number;
  valid?: number;
  invalid?: number;
  deactivated?: number;
  match?: number;
  nomatch?: number;
  created?: number;
  failed?: number;
}

/**
 * The business outcome of a decoded USI response, free of personal data: enumerations, counts and the bulk receipt
 * only; never a name, date of birth, USI, contact or document detail, nor the registry's free-text messages.
 */
export interface OutcomeSummary {
  /** The headline, for filtering: Match/NoMatch (VerifyUSI), Result (Create/Update), LocateUSI result. */
  result?: string;
  usiStatus?: UsiStatus;
  identityDocumentVerified?: IdentityDocumentVerified;
  counts?: OutcomeCounts;
  /** How many ErrorInfo-style entries the response listed. */
  errorCount?: number;
  /** BulkUpload's receipt: a registry-issued GUID that links the later BulkUploadRetrieve. */
  receiptNumber?: string;
}

type Summarisers = { [O in UsiOperation]: (response: OperationResponse<O>) => OutcomeSummary };

const SUMMARISERS: Summarisers = {
  VerifyUSI: (r) => ({ usiStatus: r.usiStatus, result: matchOf(r) }),
  BulkVerifyUSI: (r) => {
    const all = r.verificationResponses;
    return {
      counts: {
        total: all.length,
        valid: count(all, (v) => v.usiStatus === 'Valid'),
        invalid: count(all, (v) => v.usiStatus === 'Invalid'),
        deactivated: count(all, (v) => v.usiStatus === 'Deactivated'),
        match: count(all, (v) => matchOf(v) === 'Match'),
        nomatch: count(all, (v) => matchOf(v) === 'NoMatch'),
      },
    };
  },
  CreateUSI: (r) => application(r.application),
  BulkUpload: (r) => ({ receiptNumber: r.receiptNumber }),
  BulkUploadRetrieve: (r) => ({
    counts: {
      total: r.noOfApplications,
      created: count(r.applications, (a) => a.result === 'Success'),
      match: count(r.applications, (a) => a.result === 'MatchFound'),
      failed: r.noOfApplicationsFailed,
    },
  }),
  LocateUSI: (r) => withErrors({ result: r.result }, r.errors),
  UpdateUSIPersonalDetails: (r) => withErrors({ result: r.result, identityDocumentVerified: r.identityDocumentVerified }, r.errors),
  UpdateUSIContactDetails: (r) => withErrors({ result: r.result }, r.errors),
  GetNonDvsDocumentTypes: (r) => ({ counts: { total: r.nonDvsDocumentTypes.length } }),
  GetCountries: (r) => ({ counts: { total: r.countries.length } }),
};

/** A pure function of the decoded response, computed once per completed exchange for the audit trail. */
export function summariseOutcome<O extends UsiOperation>(op: O, response: OperationResponse<O>): OutcomeSummary {
  return (SUMMARISERS[op] as (r: OperationResponse<O>) => OutcomeSummary)(response);
}

/** Verified only when the registry returned no NoMatch for any field it checked. */
function matchOf(r: VerifyUsiResponse): 'Match' | 'NoMatch' | undefined {
  const fields = [r.firstName, r.familyName, r.singleName, r.dateOfBirth].filter((f) => f !== undefined);
  if (!fields.length) return undefined;
  return fields.every((f) => f === 'Match') ? 'Match' : 'NoMatch';
}

function application(a: ApplicationResponse): OutcomeSummary {
  return withErrors({ result: a.result, identityDocumentVerified: a.identityDocumentVerified }, a.errors);
}

function withErrors(summary: OutcomeSummary, errors: readonly unknown[] | undefined): OutcomeSummary {
  return errors?.length ? { ...summary, errorCount: errors.length } : summary;
}

function count<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.reduce((n, item) => (test(item) ? n + 1 : n), 0);
}
