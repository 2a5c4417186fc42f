import { acceptedTotpStep, newTotpSecret, totpCode, totpUri } from './totp';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B's SHA-1 seed "12345678901234567890", in base32.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('matches the RFC 6238 test vectors (6 digits)', () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, new Date(1111111109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, new Date(2000000000_000))).toBe('279037');
  });

  it('accepts the current step and one either side, refuses older ones and any replay', () => {
    const secret = newTotpSecret();
    const now = new Date(1_800_000_000_000);
    const step = Math.floor(now.getTime() / 30_000);
    expect(acceptedTotpStep(secret, totpCode(secret, now), null, now)).toBe(step);
    expect(acceptedTotpStep(secret, totpCode(secret, new Date(now.getTime() - 30_000)), null, now)).toBe(step - 1);
    expect(acceptedTotpStep(secret, totpCode(secret, new Date(now.getTime() - 90_000)), null, now)).toBeUndefined();
    expect(acceptedTotpStep(secret, totpCode(secret, now), step, now)).toBeUndefined();
    expect(acceptedTotpStep(secret, 'abcdef', null, now)).toBeUndefined();
  });

  it('makes an otpauth URI with the issuer and account', () => {
    expect(totpUri('JBSWY3DPEHPK3PXP', 'a@b.example')).toMatch(/^otpauth:\/\/totp\/USI%20Gateway:a%40b\.example\?.*secret=JBSWY3DPEHPK3PXP/);
  });
});
