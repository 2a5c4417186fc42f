/**
 * The connection test's failure codes (upstream-problems.ts, the mapper's) in a provider's words, with what to do.
 * One reason per thing the provider can act on; every code not listed is `unexpected`.
 */
export type ReasonKey =
  | 'no_notification'
  | 'software_id_mismatch'
  | 'org_code_not_found'
  | 'org_code_abn_mismatch'
  | 'vendor_credential'
  | 'registry_unavailable'
  | 'unexpected';

export interface PlainReason {
  key: ReasonKey;
  title: string;
  whatToDo: string;
}

const REASONS: Record<ReasonKey, Omit<PlainReason, 'key'>> = {
  no_notification: {
    title: 'No notification found in RAM',
    whatToDo:
      'RAM has no cloud software notification for your ABN naming this vendor and software ID. Add it with the steps above (or check that its start date is today or earlier and it has not ended), then try again.',
  },
  software_id_mismatch: {
    title: 'The software ID in RAM does not match',
    whatToDo:
      'The software ID changed since your notification was added. In RAM, edit the notification (or add a new one) with the software ID shown above, then try again.',
  },
  org_code_not_found: {
    title: 'Organisation code not found',
    whatToDo:
      'The USI Registry does not know this organisation code. Check it against your training.gov.au record; if it is wrong, register the organisation again with the right code.',
  },
  org_code_abn_mismatch: {
    title: 'Organisation code and ABN do not match',
    whatToDo:
      'The USI Registry holds another ABN for this organisation code, or the organisation is not set up for web-service access. Check both on training.gov.au; the USI Office can confirm web-service access.',
  },
  vendor_credential: {
    title: "The vendor's credential has expired or is not trusted",
    whatToDo: 'Nothing is wrong on your side: your software vendor must renew its machine credential. Tell them, then try again once they have.',
  },
  registry_unavailable: {
    title: 'The registry is unavailable',
    whatToDo: 'The ATO or the USI Registry did not answer. Nothing is wrong with your set-up: try again in a few minutes.',
  },
  unexpected: {
    title: 'The test failed for another reason',
    whatToDo: 'Try again. If it keeps failing, give your software vendor the time of the attempt and the code shown.',
  },
};

const BY_CODE: Record<string, ReasonKey> = {
  'sts.notification_missing': 'no_notification',
  'usi.organisation_not_authorised': 'org_code_abn_mismatch',
  'sts.credential_expired': 'vendor_credential',
  'sts.credential_revoked': 'vendor_credential',
  'sts.credential_suspended': 'vendor_credential',
  'sts.certificate_untrusted': 'vendor_credential',
  'credential.none_active': 'vendor_credential',
  'usi.service_unavailable': 'registry_unavailable',
  'upstream.timeout': 'registry_unavailable',
  'upstream.unavailable': 'registry_unavailable',
  'upstream.http_error': 'registry_unavailable',
  'upstream.bad_response': 'registry_unavailable',
  'upstream.circuit_open': 'registry_unavailable',
  'sts.fault': 'registry_unavailable',
};

/**
 * `softwareIdChanged`: a test passed before with another software ID of this authorisation, so a missing
 * notification most likely still names the old one. `message`: the registry's text, which is how a 1002 says
 * that the org code is unknown.
 */
export function plainReason(code: string | null | undefined, context: { message?: string; softwareIdChanged?: boolean } = {}): PlainReason {
  let key: ReasonKey = (code && BY_CODE[code]) || 'unexpected';
  if (code === 'usi.validation' && /org ?code|organisation/i.test(context.message ?? '')) key = 'org_code_not_found';
  if (key === 'no_notification' && context.softwareIdChanged) key = 'software_id_mismatch';
  return { key, ...REASONS[key] };
}
