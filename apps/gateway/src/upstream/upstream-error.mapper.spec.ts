import { UsiError } from '@usi/contract';
import { UsiClientError } from '@usi/client';
import { AppError } from '../common/errors/app-error';
import { statusForCode } from '../common/errors/error-status';
import { isAvailabilityFailure, isRetryableUpstream, mapUpstreamError } from './upstream-error.mapper';

const guidance = { vendorAbn: '11000002568', softwareId: '0000123400', steps: ['…'] };
const usiFault = (code: number, title = 'T', message = 'M') =>
  new UsiClientError('usi.fault', 'fault', { errors: [{ code, title, message }] });
const map = (err: unknown) => mapUpstreamError(err, { guidance }) as AppError;

describe(mapUpstreamError.name, () => {
  it.each([
    [2002, 'usi.organisation_not_authorised', 403],
    [1002, 'usi.validation', 422],
    [1001, 'usi.service_unavailable', 503],
    [2004, 'usi.identity_not_verified', 422],
    [3458, 'upstream.version_outdated', 502],
    [2999, 'usi.error', 422],
  ])('ErrorInfo %i → %s (%i) with the upstream code, title and message', (code, expected, status) => {
    const mapped = map(usiFault(code, 'Title', 'Message'));
    expect(mapped.code).toBe(expected);
    expect(statusForCode(mapped.code).status).toBe(status);
    expect(mapped.extensions?.upstream).toEqual({ code: String(code), title: 'Title', message: 'Message' });
    if (code !== 2999) expect(mapped.extensions?.guidance).toMatchObject({ docs: `/docs/errors#${expected}`, vendor: expect.any(Array) });
  });

  it('3458 names the version and the way out, with no Retry-After', () => {
    const mapped = mapUpstreamError(usiFault(3458), { guidance, serviceVersion: 'v5' }) as AppError;
    expect(mapped.message).toMatch(/no longer accepts web-service version v5: upgrade USI Gateway or set USI_SERVICE_VERSION/);
    expect(mapped.extensions?.serviceVersion).toBe('v5');
    expect(mapped.details?.retryAfterSeconds).toBeUndefined();
  });

  it('1001 carries a Retry-After', () => {
    expect(map(usiFault(1001)).details?.retryAfterSeconds).toEqual(expect.any(Number));
  });

  it('an STS notification fault is sts.notification_missing with the STS text and the RAM guidance', () => {
    const reason = 'There is no cloud software notification in force … Event Code: [E2035]';
    const mapped = map(new UsiClientError('sts.fault', 'x', { subcode: 'RequestFailed', reason }));
    expect(mapped.code).toBe('sts.notification_missing');
    expect(mapped.extensions).toEqual({
      upstream: { code: 'RequestFailed', title: 'STS fault', message: reason },
      guidance: { ...guidance, meaning: expect.any(String), vendor: expect.any(Array), provider: expect.any(Array), docs: '/docs/errors#sts.notification_missing' },
    });
  });

  it.each([
    ['InvalidScope', 'The relying party specified in the AppliesTo element is not recognised. Event Code: [E2003]', 'sts.applies_to_unknown'],
    ['FailedAuthentication', 'The machine credential has expired. Event Code: [E2015]', 'sts.credential_expired'],
    ['FailedAuthentication', 'The machine credential has been suspended.', 'sts.credential_suspended'],
    ['FailedAuthentication', 'The machine credential has been revoked.', 'sts.credential_revoked'],
    ['FailedAuthentication', 'The security token could not be authenticated or authorized.', 'sts.certificate_untrusted'],
  ])('STS %s "%s" → %s (502) with its guidance', (subcode, reason, code) => {
    const mapped = map(new UsiClientError('sts.fault', 'x', { subcode, reason }));
    expect(mapped.code).toBe(code);
    expect(statusForCode(mapped.code).status).toBe(502);
    expect(mapped.extensions).toMatchObject({ upstream: { code: subcode, message: reason }, guidance: { docs: `/docs/errors#${code}` } });
  });

  it('a refused STS timestamp is upstream.clock_skew with the offset the answer showed', () => {
    const mapped = map(new UsiClientError('sts.fault', 'x', { subcode: 'MessageExpired', reason: 'The message has expired.', clockOffsetMs: 361_200 }));
    expect(mapped.code).toBe('upstream.clock_skew');
    expect(mapped.message).toMatch(/clock is 361 s behind the ATO's/);
    expect(mapped.extensions).toMatchObject({ clockOffsetSeconds: 361, guidance: { docs: '/docs/errors#upstream.clock_skew' } });
  });

  it("a USI security refusal is upstream.clock_skew when the last STS reading is beyond 4 minutes, usi.fault otherwise", () => {
    const refusal = new UsiClientError('usi.fault', 'x', { subcode: 'InvalidSecurity' });
    expect((mapUpstreamError(refusal, { guidance, clockOffsetMs: -300_000 }) as AppError).code).toBe('upstream.clock_skew');
    expect((mapUpstreamError(refusal, { guidance, clockOffsetMs: 10_000 }) as AppError).code).toBe('usi.fault');
    expect((mapUpstreamError(refusal, { guidance }) as AppError).code).toBe('usi.fault');
  });

  it('STS faults nobody described stay sts.fault (502) with the text', () => {
    const mapped = map(new UsiClientError('sts.fault', 'x', { subcode: 'InvalidRequest', reason: 'The request was invalid or malformed.' }));
    expect(mapped.code).toBe('sts.fault');
    expect(statusForCode(mapped.code).status).toBe(502);
    expect(mapped.extensions?.guidance).toBeUndefined();
  });

  it.each([
    ['upstream.timeout', 504],
    ['upstream.unavailable', 503],
    ['upstream.bad_response', 502],
  ] as const)('%s keeps its code (%i)', (code, status) => {
    const mapped = map(new UsiClientError(code, 'x'));
    expect(mapped.code).toBe(code);
    expect(statusForCode(mapped.code).status).toBe(status);
  });

  it('passes through errors that are not upstream answers', () => {
    const own = new UsiError('credential.none_active', 'none');
    expect(mapUpstreamError(own, { guidance })).toBe(own);
  });
});

describe(isRetryableUpstream.name, () => {
  it('retries outages only', () => {
    expect(isRetryableUpstream(new UsiClientError('upstream.timeout', 'x'))).toBe(true);
    expect(isRetryableUpstream(new UsiClientError('upstream.unavailable', 'x'))).toBe(true);
    expect(isRetryableUpstream(usiFault(1001))).toBe(true);
    expect(isRetryableUpstream(usiFault(1002))).toBe(false);
    expect(isRetryableUpstream(new UsiClientError('upstream.bad_response', 'x'))).toBe(false);
    expect(isRetryableUpstream(new UsiClientError('sts.fault', 'x'))).toBe(false);
    expect(isRetryableUpstream(usiFault(3458))).toBe(false);
  });
});

describe(isAvailabilityFailure.name, () => {
  const endpoint = 'https://sts.example';
  it.each<[string, unknown]>([
    ['a refused or reset connection', new UsiClientError('upstream.unavailable', 'x', { endpoint, cause: 'ECONNREFUSED' })],
    ['HTTP 503', new UsiClientError('upstream.unavailable', 'x', { endpoint, httpStatus: 503 })],
    ['no answer within the deadline', new UsiClientError('upstream.timeout', 'x', { endpoint, timeoutMs: 100 })],
    ['a proxy 502 page', new UsiClientError('upstream.bad_response', 'x', { endpoint, httpStatus: 502, reason: 'xml.malformed' })],
    ['HTTP 500 with a SOAP body that is not a fault', new UsiClientError('upstream.http_error', 'x', { endpoint, httpStatus: 500 })],
    ['ErrorInfo 1001', usiFault(1001)],
    ['1001 among other ErrorInfos', new UsiClientError('usi.fault', 'x', { errors: [{ code: 1002, title: 'T', message: 'M' }, { code: 1001, title: 'T', message: 'M' }] })],
  ])('counts %s', (_name, err) => {
    expect(isAvailabilityFailure(err)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a missing RAM notification (STS fault, HTTP 500)', new UsiClientError('sts.fault', 'x', { subcode: 'RequestFailed', reason: 'Event Code: [E2035]', httpStatus: 500 })],
    ['an untrusted credential (STS fault)', new UsiClientError('sts.fault', 'x', { subcode: 'FailedAuthentication', httpStatus: 500 })],
    ['an STS Receiver fault', new UsiClientError('sts.fault', 'x', { faultCode: 'Receiver', httpStatus: 500 })],
    ['ErrorInfo 2002 (organisation not authorised)', usiFault(2002)],
    ['ErrorInfo 1002 (validation)', usiFault(1002)],
    ['ErrorInfo 2004 (identity not verified)', usiFault(2004)],
    ['ErrorInfo 3458 (outdated web-service version)', usiFault(3458)],
    ['a security fault without ErrorInfo', new UsiClientError('usi.fault', 'x', { subcode: 'InvalidSecurity' })],
    ['our own deadline passing before sending', new UsiClientError('upstream.timeout', 'Call deadline passed before the request could be sent')],
    ['a cancelled call', new UsiClientError('upstream.aborted', 'x', { endpoint })],
    ['a malformed 200', new UsiClientError('upstream.bad_response', 'x', { endpoint, httpStatus: 200 })],
    ['HTTP 404', new UsiClientError('upstream.http_error', 'x', { endpoint, httpStatus: 404 })],
    ['a gateway error', new AppError('credential.none_active', 'x')],
  ])('does not count %s', (_name, err) => {
    expect(isAvailabilityFailure(err)).toBe(false);
  });
});
