import { plainReason } from './connection-reasons';

describe('plainReason: connection-test codes in a provider’s words', () => {
  it.each([
    ['sts.notification_missing', {}, 'no_notification'],
    ['sts.notification_missing', { softwareIdChanged: true }, 'software_id_mismatch'],
    ['usi.validation', { message: 'Organisation with OrgCode of X1 could not be found.' }, 'org_code_not_found'],
    ['usi.organisation_not_authorised', {}, 'org_code_abn_mismatch'],
    ['sts.credential_expired', {}, 'vendor_credential'],
    ['sts.certificate_untrusted', {}, 'vendor_credential'],
    ['upstream.timeout', {}, 'registry_unavailable'],
    ['usi.service_unavailable', {}, 'registry_unavailable'],
    ['usi.validation', { message: 'something else' }, 'unexpected'],
    [undefined, {}, 'unexpected'],
  ] as const)('%s %j → %s', (code, context, key) => {
    const reason = plainReason(code, context);
    expect(reason.key).toBe(key);
    expect(reason.title.length).toBeGreaterThan(5);
  });
});
