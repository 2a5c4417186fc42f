import type { ErrorInfo } from '@usi/contract';
import { UsiClientError } from './usi-client-error';

/**
 * Every upstream answer USI Gateway knows how to explain: the registry's ErrorInfo codes and the ATO token service's
 * refusals. One row per stable problem code: what it means and what the vendor (the SMS running on the gateway,
 * or its operator) and the training provider should do. The gateway serves this table at `/docs/errors`, maps
 * client errors with it and attaches the row to the problem; `usi doctor` prints it next to a failed step.
 *
 * Facts and limits (usi-contract.md §7, m2m-sts.md §11): the ErrorInfo codes 1001/1002/2002/2004 are vendors' published
 * tables; 3458 is named in the brief of this work and in no public source. The real MAS-ST fault texts are not
 * public beyond event codes E2003 (AppliesTo) and E2015 (credential expired), so STS refusals are recognised by
 * their WS-Trust/WS-Security subcode, event code and wording, and an unrecognised one stays `sts.fault`.
 */
export interface UpstreamProblem {
  /** The gateway's problem code (`area.reason`), stable. */
  code: string;
  source: 'usi' | 'sts';
  /** How the upstream says it, e.g. `ErrorInfo 1001` or `STS fault trust:InvalidScope (E2003)`. */
  upstream: string;
  title: string;
  meaning: string;
  /** Steps for the vendor / gateway operator. */
  vendor: readonly string[];
  /** Steps for the training provider whose request failed. */
  provider: readonly string[];
}

interface StsFault {
  subcode: string;
  reason: string;
}

interface Row extends UpstreamProblem {
  errorInfo?: number;
  sts?: (fault: StsFault) => boolean;
}

const NOTHING_FOR_PROVIDER = ['Nothing to change on your side; your software vendor has to act. Tell them the request id.'];

const ROWS: readonly Row[] = [
  {
    code: 'usi.service_unavailable',
    source: 'usi',
    errorInfo: 1001,
    upstream: 'ErrorInfo 1001 Service Unavailable',
    title: 'The USI Registry is unavailable',
    meaning: 'The registry is not processing requests (maintenance or an outage). Nothing was done.',
    vendor: [
      'Retry later: read-only calls are already retried by the gateway, and the answer carries Retry-After.',
      'If it lasts, check the USI Registry service status or contact the USI Office.',
    ],
    provider: ['Try again later. Nothing about your request was wrong.'],
  },
  {
    code: 'usi.validation',
    source: 'usi',
    errorInfo: 1002,
    upstream: 'ErrorInfo 1002 Generic Validation',
    title: 'The USI Registry refused the content of the request',
    meaning:
      'Most often the organisation code could not be found, or the personal details do not match (a name not matching the identity document). The registry message in `upstream.message` says which.',
    vendor: [
      'Show the registry message to the user; do not resend the request unchanged.',
      "If it says the OrgCode could not be found, compare the organisation's code in USI Gateway with its training.gov.au record.",
    ],
    provider: [
      "Correct what the message names: the student's names exactly as on the identity document, the date of birth, or your organisation code.",
    ],
  },
  {
    code: 'usi.organisation_not_authorised',
    source: 'usi',
    errorInfo: 2002,
    upstream: 'ErrorInfo 2002 Organisation Failed Authorisation',
    title: 'The organisation is not authorised for this request',
    meaning:
      'The organisation code, the ABN the vendor acts for and the authorisation do not match one registry record, or the organisation is not set up for web-service access.',
    vendor: [
      "Check that the organisation's org code and ABN in USI Gateway are the ones on training.gov.au.",
      "Check that the provider's RAM notification names that ABN (run POST /v1/organisations/{orgCode}/connection-test).",
    ],
    provider: [
      'Confirm your organisation code and ABN with your vendor.',
      'Make sure your organisation is registered with the USI Registry for web-service access (the USI Office can check).',
    ],
  },
  {
    code: 'usi.identity_not_verified',
    source: 'usi',
    errorInfo: 2004,
    upstream: 'ErrorInfo 2004 Unverified Identity',
    title: 'The identity document could not be verified',
    meaning: 'The Document Verification Service did not confirm the identity document with the details sent.',
    vendor: ['Show the message; do not resend the request unchanged.'],
    provider: [
      "Check every document field and the student's names and date of birth against the document itself.",
      'If it still fails, the student can create their USI themselves on usi.gov.au.',
    ],
  },
  {
    code: 'upstream.version_outdated',
    source: 'usi',
    errorInfo: 3458,
    upstream: 'ErrorInfo 3458 (outdated web-service version)',
    title: 'The USI Registry no longer accepts this web-service version',
    meaning:
      'The registry refuses the version of its web service this gateway speaks (USI_SERVICE_VERSION). No request of that version will succeed, so the gateway neither retries it nor counts it as an outage; it raises a platform alert (at most once an hour).',
    vendor: [
      'Upgrade USI Gateway to a release that speaks the version the registry accepts, or set USI_SERVICE_VERSION to that version and restart.',
      'Check the USI web-service versioning notices for the version now in force.',
    ],
    provider: NOTHING_FOR_PROVIDER,
  },
  {
    code: 'sts.notification_missing',
    source: 'sts',
    sts: (f) => /notification|E2035/i.test(f.reason),
    upstream: 'STS fault trust:RequestFailed (no cloud software notification in force)',
    title: 'No cloud software notification in force in RAM',
    meaning:
      'The ATO will not let the vendor act for this organisation: RAM holds no notification in force naming the vendor ABN and this software ID for the provider ABN.',
    vendor: [
      'Give the provider your ABN and the software ID of its authorisation (in the `guidance` member).',
      'Once they have notified, run POST /v1/organisations/{orgCode}/connection-test.',
    ],
    provider: [
      'In Relationship Authorisation Manager (RAM), open the cloud software notifications of your ABN.',
      "Notify the hosted service with the vendor's ABN and the software ID the vendor gave you, or renew a notification that has ended.",
    ],
  },
  {
    code: 'sts.applies_to_unknown',
    source: 'sts',
    sts: (f) => /InvalidScope|E2003|AppliesTo|relying party/i.test(`${f.subcode} ${f.reason}`),
    upstream: 'STS fault trust:InvalidScope (E2003, AppliesTo not recognised)',
    title: 'The ATO token service does not know the service asked for',
    meaning:
      'The relying party in AppliesTo is not one the STS issues tokens for: the URL belongs to another environment or version, or the credential is not set up for the USI service.',
    vendor: [
      'Check USI_ENV and USI_APPLIES_TO: 3PT URLs with the 3PT STS, production with production.',
      'After changing USI_SERVICE_VERSION, check the AppliesTo the ATO expects for that version.',
    ],
    provider: NOTHING_FOR_PROVIDER,
  },
  {
    code: 'upstream.clock_skew',
    source: 'sts',
    sts: (f) => /MessageExpired|InvalidTimestamp/i.test(f.subcode) || /timestamp|clock|message has expired/i.test(f.reason),
    upstream: 'STS fault o:MessageExpired (timestamp outside the accepted window)',
    title: "The gateway's clock is too far from the ATO's",
    meaning:
      "The WS-Security timestamp of the request was outside the token service's window (about 5 minutes either side): the gateway host's clock is wrong. `clockOffsetSeconds` is the offset the STS answer showed.",
    vendor: [
      'Synchronise the clocks of the gateway hosts (NTP, chrony).',
      'Watch the gauge usi_upstream_clock_offset_seconds and the clock in GET /v1/status; readiness fails beyond 4 minutes.',
    ],
    provider: NOTHING_FOR_PROVIDER,
  },
  {
    code: 'sts.credential_revoked',
    source: 'sts',
    sts: (f) => /revoked/i.test(f.reason),
    upstream: 'STS fault o:FailedAuthentication (machine credential revoked)',
    title: "The vendor's machine credential has been revoked",
    meaning: 'The machine credential was revoked in RAM and can never be used again. Every call of the vendor fails.',
    vendor: [
      'Create a new machine credential in RAM and upload it to USI Gateway (POST /v1/credentials).',
      'Find out who revoked it and why: a revocation can mean its private key was exposed.',
    ],
    provider: NOTHING_FOR_PROVIDER,
  },
  {
    code: 'sts.credential_suspended',
    source: 'sts',
    sts: (f) => /suspend/i.test(f.reason),
    upstream: 'STS fault o:FailedAuthentication (machine credential suspended)',
    title: "The vendor's machine credential is suspended",
    meaning: 'The machine credential is suspended in RAM. Every call of the vendor fails until it is reinstated or replaced.',
    vendor: [
      "An authorisation administrator of the vendor's ABN checks the credential in RAM and reinstates it, or creates a new one and uploads it (POST /v1/credentials).",
    ],
    provider: NOTHING_FOR_PROVIDER,
  },
  {
    code: 'sts.credential_expired',
    source: 'sts',
    sts: (f) => /E2015|expired on|(credential|certificate)\b[^.]*\bexpired/i.test(f.reason),
    upstream: 'STS fault o:FailedAuthentication (E2015, credential expired)',
    title: "The vendor's machine credential has expired",
    meaning: 'Machine credentials expire two years after they are created. Every call of the vendor fails until a new one is uploaded.',
    vendor: [
      'Create a new machine credential in RAM and upload it to USI Gateway (POST /v1/credentials).',
      'Expiry warnings come 30 days ahead (audit event credential.expiry_warning, gauge credential_expires_in_seconds).',
    ],
    provider: NOTHING_FOR_PROVIDER,
  },
  {
    code: 'sts.certificate_untrusted',
    source: 'sts',
    sts: (f) => /FailedAuthentication|InvalidSecurityToken/i.test(f.subcode) || /not trusted|untrusted|could not be authenticated/i.test(f.reason),
    upstream: 'STS fault o:FailedAuthentication (certificate not trusted)',
    title: "The ATO token service does not trust the vendor's certificate",
    meaning:
      'The certificate that signed the request was not issued by the ATO authority of this environment (e.g. a 3PT test credential sent to production) or is not valid yet.',
    vendor: ['Upload a credential created for this environment (USI_ENV), exported from RAM as keystore.xml.'],
    provider: NOTHING_FOR_PROVIDER,
  },
];

/** The table, in the order the documentation lists it (USI ErrorInfo codes, then STS refusals). */
export const UPSTREAM_PROBLEMS: readonly UpstreamProblem[] = ROWS.map(({ errorInfo: _e, sts: _s, ...row }) => row);

const BY_CODE = new Map(UPSTREAM_PROBLEMS.map((p) => [p.code, p]));

export function upstreamProblem(code: string): UpstreamProblem | undefined {
  return BY_CODE.get(code);
}

/**
 * The row explaining a client error: a `usi.fault` by its (first) ErrorInfo code, an `sts.fault` by subcode, event
 * code and wording (rows are tried in table order, so a notification or a timestamp wins over the generic
 * FailedAuthentication). Undefined for anything else, and for faults nobody has described yet.
 */
export function classifyUpstreamError(err: unknown): UpstreamProblem | undefined {
  if (!(err instanceof UsiClientError)) return undefined;
  if (err.code === 'usi.fault') {
    const first = (err.details?.errors as ErrorInfo[] | undefined)?.[0];
    const row = first && ROWS.find((r) => r.errorInfo === first.code);
    return row && BY_CODE.get(row.code);
  }
  if (err.code === 'sts.fault') {
    const fault = { subcode: String(err.details?.subcode ?? ''), reason: String(err.details?.reason ?? err.message) };
    const row = ROWS.find((r) => r.sts?.(fault));
    return row && BY_CODE.get(row.code);
  }
  return undefined;
}
