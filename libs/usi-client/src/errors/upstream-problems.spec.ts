import { classifyUpstreamError, UPSTREAM_PROBLEMS, upstreamProblem } from './upstream-problems';
import { UsiClientError } from './usi-client-error';

const errorInfo = (code: number) => new UsiClientError('usi.fault', 'x', { errors: [{ code, title: 'T', message: 'M' }] });
const stsFault = (subcode: string, reason: string) => new UsiClientError('sts.fault', 'x', { subcode, reason });

describe('upstream problem table', () => {
  it('has one row per stable code, each with a meaning and steps for the vendor and the provider', () => {
    expect(new Set(UPSTREAM_PROBLEMS.map((p) => p.code)).size).toBe(UPSTREAM_PROBLEMS.length);
    for (const p of UPSTREAM_PROBLEMS) {
      expect(p.code).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(p.meaning.length).toBeGreaterThan(20);
      expect(p.vendor.length).toBeGreaterThan(0);
      expect(p.provider.length).toBeGreaterThan(0);
    }
    expect(upstreamProblem('upstream.version_outdated')?.upstream).toContain('3458');
  });

  it.each([
    [1001, 'usi.service_unavailable'],
    [1002, 'usi.validation'],
    [2002, 'usi.organisation_not_authorised'],
    [2004, 'usi.identity_not_verified'],
    [3458, 'upstream.version_outdated'],
  ])('ErrorInfo %i → %s', (code, expected) => {
    expect(classifyUpstreamError(errorInfo(code))?.code).toBe(expected);
  });

  it.each([
    ['RequestFailed', 'There is no cloud software notification in force for this software provider. Event Code: [E2035]', 'sts.notification_missing'],
    ['InvalidScope', 'The relying party specified in the AppliesTo element is not recognised. Event Code: [E2003]', 'sts.applies_to_unknown'],
    ['MessageExpired', 'The message has expired.', 'upstream.clock_skew'],
    ['FailedAuthentication', 'Business User Credential expired on 12/09/2024. Event Code: [E2015]', 'sts.credential_expired'],
    ['FailedAuthentication', 'The machine credential has been suspended.', 'sts.credential_suspended'],
    ['FailedAuthentication', 'The machine credential has been revoked.', 'sts.credential_revoked'],
    ['FailedAuthentication', 'The security token could not be authenticated or authorized.', 'sts.certificate_untrusted'],
  ])('STS %s "%s" → %s', (subcode, reason, expected) => {
    expect(classifyUpstreamError(stsFault(subcode, reason))?.code).toBe(expected);
  });

  it('leaves what it cannot explain alone', () => {
    expect(classifyUpstreamError(errorInfo(2999))).toBeUndefined();
    expect(classifyUpstreamError(stsFault('InvalidRequest', 'The request was invalid or malformed.'))).toBeUndefined();
    expect(classifyUpstreamError(new UsiClientError('usi.fault', 'x', { subcode: 'InvalidSecurity' }))).toBeUndefined();
    expect(classifyUpstreamError(new UsiClientError('upstream.timeout', 'x'))).toBeUndefined();
    expect(classifyUpstreamError(new Error('x'))).toBeUndefined();
  });
});
