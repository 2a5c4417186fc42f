import { UsiError } from '@usi/contract';
import { UsiClientError } from '@usi/client';
import { AppError } from '../../common/errors/app-error';
import { statusForCode } from '../../common/errors/error-status';
import { isRetryableUpstream, mapUpstreamError } from './upstream-error.mapper';

const guidance = { vendorAbn: '11000002568', softwareId: '0000123400', steps: ['…'] };
const usiFault = (code: number, title = 'T', message = 'M') =>
  new UsiClientError('usi.fault', 'fault', { errors: [{ code, title, message }] });
const map = (err: unknown) => mapUpstreamError(err, { guidance }) as AppError;

describe(mapUpstreamError.name, () => {
  it.each([
    [2002, 'usi.organisation_not_authorised', 403],
    [1002, 'usi.validation', 422],
    [1001, 'usi.service_unavailable', 503],
    [2004, 'usi.error', 422],
  ])('ErrorInfo %i → %s (%i) with the upstream code, title and message', (code, expected, status) => {
    const mapped = map(usiFault(code, 'Title', 'Message'));
    expect(mapped.code).toBe(expected);
    expect(statusForCode(mapped.code).status).toBe(status);
    expect(mapped.extensions?.upstream).toEqual({ code: String(code), title: 'Title', message: 'Message' });
  });

  it('1001 carries a Retry-After', () => {
    expect(map(usiFault(1001)).details?.retryAfterSeconds).toEqual(expect.any(Number));
  });

  it('an STS notification fault is sts.notification_missing with the STS text and the RAM guidance', () => {
    const reason = 'There is no cloud software notification in force … Event Code: [E2035]';
    const mapped = map(new UsiClientError('sts.fault', 'x', { subcode: 'RequestFailed', reason }));
    expect(mapped.code).toBe('sts.notification_missing');
    expect(mapped.extensions).toEqual({ upstream: { code: 'RequestFailed', title: 'STS fault', message: reason }, guidance });
  });

  it('other STS faults are sts.fault (502) with the text', () => {
    const mapped = map(new UsiClientError('sts.fault', 'x', { subcode: 'FailedAuthentication', reason: 'not authenticated' }));
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
  });
});
