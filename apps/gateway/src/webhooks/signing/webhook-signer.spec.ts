import { createHmac } from 'node:crypto';
import { generateWebhookSecret, secretKey, signWebhook } from './webhook-signer';

describe('webhook signer', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(a)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the standard-webhooks specification's test suite (libraries' verify tests).
    const headers = signWebhook(
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('signs with every secret given, space-separated, the first one first', () => {
    const [next, old] = [generateWebhookSecret(), generateWebhookSecret()];
    const signature = signWebhook([next, old], 'id', 1, '{}')['webhook-signature'].split(' ');
    const expect1 = (s: string) => 'v1,' + createHmac('sha256', secretKey(s)).update('id.1.{}').digest('base64');
    expect(signature).toEqual([expect1(next), expect1(old)]);
  });

  it('refuses a secret without the prefix or too short', () => {
    expect(() => signWebhook(['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'id', 1, '{}')).toThrow(/whsec_/);
    expect(() => signWebhook(['whsec_c2hvcnQ='], 'id', 1, '{}')).toThrow(/too short/);
  });
});
