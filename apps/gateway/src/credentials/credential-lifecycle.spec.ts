import { UsiClientError } from '@usi/client';
import { warningThreshold } from '../expiry/expiry.service';
import { describeCheckFailure } from './credential-check';
import { credentialName, ManualCredentialRenewer } from './credential-renewer';

const DAY = 86_400_000;
const AT = new Date('2027-03-01T00:00:00Z');
const VALID = { abn: '11000002568', notAfter: new Date(AT.getTime() + 365 * DAY) };
const stsFault = (subcode: string, reason: string) =>
  new UsiClientError('sts.fault', `STS fault: ${reason}`, { faultCode: 'Sender', subcode, reason });

describe('describeCheckFailure: the upstream mapper’s code, the reason in plain words', () => {
  it.each([
    [stsFault('FailedAuthentication', 'The security token could not be authenticated or authorized.'), 'sts.certificate_untrusted', 'certificate_not_accepted', /did not accept the certificate/],
    [stsFault('MessageExpired', 'The message has expired.'), 'upstream.clock_skew', 'clock_skew', /clock/],
    [stsFault('FailedCheck', 'The signature or decryption was invalid.'), 'sts.fault', 'signature_refused', /signature/],
    [stsFault('InvalidScope', 'The relying party … is not recognised. Event Code: [E2003]'), 'sts.applies_to_unknown', 'environment_mismatch', /AppliesTo/],
    [stsFault('RequestFailed', 'Something else.'), 'sts.fault', 'refused', /refused the credential/],
    [new UsiClientError('upstream.unavailable', 'connection refused'), 'upstream.unavailable', 'unavailable', /could not be checked/],
    [new UsiClientError('upstream.timeout', 'no answer', { endpoint: 'sts' }), 'upstream.timeout', 'unavailable', /could not be checked/],
  ])('%s', (err, code, reason, message) => {
    const failure = describeCheckFailure(err, VALID, AT);
    expect(failure).toMatchObject({ code, reason, message: expect.stringMatching(message) });
    expect(failure.message).toContain('keeps serving');
  });

  it('says expired when the certificate has run out, whatever the STS said', () => {
    const expired = { ...VALID, notAfter: new Date(AT.getTime() - DAY) };
    expect(describeCheckFailure(stsFault('FailedAuthentication', 'x'), expired, AT)).toMatchObject({ reason: 'expired', code: 'sts.certificate_untrusted' });
  });

  it('keeps what the STS said, as it said it', () => {
    expect(describeCheckFailure(stsFault('FailedAuthentication', 'The security token could not be authenticated or authorized.'), VALID, AT).upstream).toEqual({
      code: 'FailedAuthentication',
      title: 'STS fault',
      message: 'The security token could not be authenticated or authorized.',
    });
  });

  it('rethrows what is not an upstream answer', () => {
    const bug = new TypeError('boom');
    expect(() => describeCheckFailure(bug, VALID, AT)).toThrow(bug);
  });
});

describe('warningThreshold: 60, 30, 7 and 1 days before notAfter', () => {
  it.each([
    [90 * DAY, undefined],
    [60 * DAY + 1, undefined],
    [60 * DAY, 60],
    [31 * DAY, 60],
    [30 * DAY, 30],
    [8 * DAY, 30],
    [7 * DAY, 7],
    [DAY + 1, 7],
    [DAY, 1],
    [1, 1],
    [0, undefined],
    [-DAY, undefined],
  ])('%d ms left → %s', (msLeft, days) => expect(warningThreshold(msLeft)).toBe(days));
});

describe('ManualCredentialRenewer', () => {
  const renewer = new ManualCredentialRenewer();

  it('names the credential exactly, says where to upload, and never claims automation', () => {
    const plan = renewer.plan({
      id: 'c1',
      credentialId: 'ABRD:11000002568_INGLETON153',
      abn: '11000002568',
      notAfter: new Date(AT.getTime() + 10.5 * DAY),
      now: AT,
    });
    expect(plan).toMatchObject({ daysLeft: 10, expired: false, method: 'manual', automated: false, upload: { path: '/v1/credentials' } });
    expect(plan.steps[1]).toContain('named exactly "INGLETON153"');
    expect(plan.steps[3]).toContain('credentialId "ABRD:11000002568_INGLETON153"');
    expect(renewer.plan({ id: 'c2', credentialId: 'ABRD:96312011219_Own', abn: '96312011219', notAfter: AT, orgCode: 'VA1802', now: AT })).toMatchObject({
      expired: true,
      upload: { path: '/v1/organisations/VA1802/credentials' },
    });
  });

  it('reads the RAM name out of the alias', () => {
    expect(credentialName('ABRD:11000002568_INGLETON153')).toBe('INGLETON153');
    expect(credentialName('ABRD:11000002568_With_Underscores')).toBe('With_Underscores');
    expect(credentialName('not-an-alias')).toBe('not-an-alias');
  });
});
