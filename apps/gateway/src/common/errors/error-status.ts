import { upstreamProblem } from '@usi/client';

/**
 * The one place that turns stable error codes into HTTP statuses and titles. Codes not listed fall back on
 * their area (the part before the dot), then on 500.
 */
export const ERROR_STATUS: Readonly<Record<string, { status: number; title: string }>> = {
  'request.not_found': { status: 404, title: 'Not found' },
  'request.malformed_json': { status: 400, title: 'Malformed JSON body' },
  'request.payload_too_large': { status: 413, title: 'Payload too large' },
  'request.too_deep': { status: 400, title: 'JSON body nested too deeply' },
  'request.invalid_character': { status: 400, title: 'Character not allowed' },
  'request.validation': { status: 400, title: 'Validation failed' },
  'request.invalid_cursor': { status: 400, title: 'Invalid pagination cursor' },
  'request.bad_request': { status: 400, title: 'Bad request' },
  'request.method_not_allowed': { status: 405, title: 'Method not allowed' },
  'request.unsupported_media_type': { status: 415, title: 'Unsupported media type' },
  'request.unsupported_encoding': { status: 415, title: 'Unsupported content encoding' },
  'request.bad_encoding': { status: 400, title: 'Body does not match its Content-Encoding' },
  'auth.unauthenticated': { status: 401, title: 'Authentication required' },
  'auth.invalid_api_key': { status: 401, title: 'Invalid API key' },
  'auth.invalid_credentials': { status: 401, title: 'Invalid email or password' },
  'auth.forbidden_scope': { status: 403, title: 'Missing scope or role' },
  'auth.forbidden_organisation': { status: 403, title: 'API key not allowed for this organisation' },
  'auth.vendor_wide_required': { status: 403, title: 'Needs a key or account for the whole vendor' },
  'auth.exceeds_own_access': { status: 403, title: 'More access than the caller holds' },
  'auth.csrf': { status: 403, title: 'Cross-site request refused' },
  'auth.too_many_attempts': { status: 429, title: 'Too many login attempts' },
  'auth.too_many_failures': { status: 429, title: 'Too many failed authentications from this address' },
  'auth.mfa_required': { status: 401, title: 'Second factor required' },
  'auth.invalid_mfa_code': { status: 401, title: 'Invalid second-factor code' },
  'auth.mfa_unavailable': { status: 409, title: 'Second factor cannot be checked: use a recovery code or contact support' },
  'auth.mfa_already_enrolled': { status: 409, title: 'Second factor already set up' },
  'auth.invalid_reset_link': { status: 400, title: 'Password reset link invalid or expired' },
  'vendor.not_found': { status: 404, title: 'Vendor not found' },
  'organisation.not_found': { status: 404, title: 'Organisation not found' },
  'verification_job.not_found': { status: 404, title: 'Verification job not found' },
  'verification_job.invalid_input': { status: 400, title: 'The upload cannot be read' },
  'verification_job.not_cancellable': { status: 409, title: 'The job has already ended' },
  'verification_job.results_deleted': { status: 410, title: 'The job’s inputs and results were deleted after retention' },
  'creation_job.not_found': { status: 404, title: 'Creation job not found' },
  'creation_job.invalid_input': { status: 400, title: 'The upload cannot be read' },
  'creation_job.not_cancellable': { status: 409, title: 'The job has already ended' },
  'creation_job.results_deleted': { status: 410, title: 'The job’s inputs and results were deleted after retention' },
  'organisation.ambiguous': { status: 400, title: 'Organisation code registered by several vendors: name the vendor' },
  'organisation.org_code_taken': { status: 409, title: 'Organisation code already registered by this vendor' },
  'organisation.direct_credential_missing': { status: 409, title: 'Direct mode needs an active credential of the organisation' },
  'authorisation.not_found': { status: 404, title: 'Authorisation not found' },
  'authorisation.invalid_transition': { status: 409, title: 'Authorisation status does not allow this' },
  'authorisation.untested': { status: 409, title: 'The last connection test failed or never ran' },
  'authorisation.not_active': { status: 403, title: 'No active authorisation for this organisation' },
  'provider.no_organisation': { status: 409, title: 'The account has no organisation yet' },
  'provider.already_registered': { status: 409, title: 'The account already has an organisation' },
  'provider.link_invalid': { status: 400, title: 'The link is invalid, used or expired' },
  'provider.confirmation_required': { status: 400, title: 'Confirmation required' },
  'provider.simulator_only': { status: 404, title: 'Only with the USI simulator' },
  'provider.simulator_failed': { status: 502, title: 'The simulator refused the change' },
  'provider.member_not_found': { status: 404, title: 'Team member not found' },
  'provider.cannot_remove_self': { status: 409, title: 'You cannot remove yourself' },
  'invitation.not_found': { status: 404, title: 'Invitation not found or no longer open' },
  'vendor.member_not_found': { status: 404, title: 'Team member not found' },
  'vendor.cannot_remove_self': { status: 409, title: 'You cannot remove yourself' },
  'vendor.link_invalid': { status: 400, title: 'The link is invalid, used or expired' },
  'api_key.not_found': { status: 404, title: 'API key not found' },
  'user.email_taken': { status: 409, title: 'Email already registered' },
  'credential.not_found': { status: 404, title: 'Credential not found' },
  'credential.wrong_password': { status: 422, title: 'Wrong keystore password' },
  'credential.expired': { status: 422, title: 'Credential expired' },
  'credential.not_yet_valid': { status: 422, title: 'Credential not yet valid' },
  'credential.abn_mismatch': { status: 422, title: "Credential ABN is not the vendor's" },
  'credential.key_mismatch': { status: 422, title: 'Private key does not match the certificate' },
  'credential.not_found_in_keystore': { status: 422, title: 'Credential id not in keystore' },
  'credential.keystore_malformed': { status: 400, title: 'Malformed keystore' },
  'credential.keystore_too_large': { status: 400, title: 'Keystore too large' },
  'credential.none_active': { status: 409, title: 'No active M2M credential' },
  'credential.not_pending': { status: 409, title: 'Only a pending credential allows this' },
  'credential.not_reactivatable': { status: 409, title: 'Only a superseded, valid credential can be made active again' },
  'credential.confirmation_required': { status: 409, title: 'Confirmation required: USI calls would be affected' },
  'credential.fallback_available': { status: 409, title: 'A valid superseded credential can take over: name it or confirm' },
  'credential.status_changed': { status: 409, title: 'The credential changed status meanwhile' },
  'credential.check_failed': { status: 422, title: 'The ATO token service did not issue a token for this credential' },
  'sts.fault': { status: 502, title: 'ATO token service refused the request' },
  'sts.notification_missing': { status: 502, title: 'No cloud software notification in force in RAM' },
  'sts.applies_to_unknown': { status: 502, title: 'ATO token service does not recognise the AppliesTo' },
  'sts.credential_expired': { status: 502, title: "Vendor's machine credential expired" },
  'sts.credential_suspended': { status: 502, title: "Vendor's machine credential suspended" },
  'sts.credential_revoked': { status: 502, title: "Vendor's machine credential revoked" },
  'sts.certificate_untrusted': { status: 502, title: "ATO token service does not trust the vendor's certificate" },
  'upstream.clock_skew': { status: 502, title: "Gateway clock too far from the ATO's" },
  'upstream.version_outdated': { status: 502, title: 'USI Registry no longer accepts this web-service version' },
  'usi.organisation_not_authorised': { status: 403, title: 'USI Registry: organisation not authorised' },
  'usi.validation': { status: 422, title: 'USI Registry: validation failed' },
  'usi.identity_not_verified': { status: 422, title: 'USI Registry: identity document not verified' },
  'usi.service_unavailable': { status: 503, title: 'USI Registry: service unavailable' },
  'usi.error': { status: 422, title: 'USI Registry error' },
  'usi.fault': { status: 502, title: 'USI Registry refused the message' },
  'upstream.timeout': { status: 504, title: 'USI Registry timed out' },
  'upstream.unavailable': { status: 503, title: 'USI Registry unavailable' },
  'upstream.bad_response': { status: 502, title: 'Bad response from the USI Registry' },
  'upstream.http_error': { status: 502, title: 'USI Registry HTTP error' },
  'webhook_endpoint.not_found': { status: 404, title: 'Webhook endpoint not found' },
  'webhook_endpoint.disabled': { status: 409, title: 'Webhook endpoint disabled' },
  'webhook_delivery.not_found': { status: 404, title: 'Webhook delivery not found' },
  'webhook_delivery.pending': { status: 409, title: 'Webhook delivery still being attempted' },
  'audit_request.not_found': { status: 404, title: 'No audit events for this request' },
  'audit_raw_exchange.not_found': { status: 404, title: 'No retained raw exchange with this id' },
  'idempotency.key_required': { status: 400, title: 'Idempotency-Key header required' },
  'idempotency.invalid_key': { status: 400, title: 'Invalid Idempotency-Key header' },
  'idempotency.mismatch': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'idempotency.in_progress': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  'rate_limit.exceeded': { status: 429, title: 'Rate limit exceeded' },
  'database.unavailable': { status: 503, title: 'Database temporarily unavailable' },
  'queue.unavailable': { status: 503, title: 'Job queue temporarily unavailable' },
  'internal.error': { status: 500, title: 'Internal server error' },
};

/**
 * Codes that mean a dependency is down or slow (database, job queue, key service, the USI Registry), not that the gateway has a
 * bug: during an outage every request ends with one of these, so the filter logs them as one warn line without a stack
 * (rate-limited per code) rather than as errors.
 */
export const DEPENDENCY_OUTAGE_CODES: ReadonlySet<string> = new Set([
  'database.unavailable',
  'queue.unavailable',
  'key_provider.kms_unavailable',
  'upstream.unavailable',
  'upstream.timeout',
  'usi.service_unavailable',
]);

export function isDependencyOutage(code: string): boolean {
  return DEPENDENCY_OUTAGE_CODES.has(code);
}

const AREA_STATUS: Readonly<Record<string, number>> = {
  request: 400,
  auth: 401,
  credential: 422,
  keystore: 422,
  xml: 400,
  sts: 502,
  usi: 502,
  upstream: 502,
};

const PROBLEM_BASE = 'https://usi-gateway.dev/problems/';

/** The page (served by the gateway itself) that explains a known upstream error, at the row's anchor. */
export function problemDocsUrl(code: string): string {
  return `/docs/errors#${code}`;
}

/**
 * The problem+json `type`: the row of `/docs/errors` for an upstream error the table explains (a relative reference,
 * resolved against the gateway's own URL), otherwise the code under the problem namespace.
 */
export function problemType(code: string): string {
  return upstreamProblem(code) ? problemDocsUrl(code) : PROBLEM_BASE + code;
}

export function statusForCode(code: string): { status: number; title: string } {
  const known = ERROR_STATUS[code];
  if (known) return known;
  const status = AREA_STATUS[code.split('.')[0]] ?? 500;
  return { status, title: status === 500 ? 'Internal server error' : code };
}
