import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWebhookSecret, signWebhook } from '@gateway/webhooks/signing/webhook-signer';

type Verify = (secret: string, headers: Record<string, string>, rawBody: string, toleranceSeconds?: number) => boolean;

/** The receiver example of docs/webhooks-receiver.md, run as written: it must accept our deliveries and nothing else. */
describe('docs/webhooks-receiver.md example', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'webhooks-receiver.md'), 'utf8');
  const code = doc.split('```js\n')[1]!.split('```')[0]!;
  const verifyWebhook = new Function('require', `${code}\nreturn verifyWebhook;`)(require) as Verify;
  const now = () => Math.floor(Date.now() / 1000);

  it('is about 15 lines', () => {
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(16);
  });

  it('accepts a delivery signed by the gateway, with one secret or during a rotation', () => {
    const [secret, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = '{"type":"credential.expiring","timestamp":"2030-01-01T00:00:00.000Z","data":{"daysLeft":7}}';
    const one = { ...signWebhook([secret], 'd-1', now(), body) };
    expect(verifyWebhook(secret, one, body)).toBe(true);
    const both = { ...signWebhook([secret, previous], 'd-1', now(), body) };
    expect(verifyWebhook(secret, both, body)).toBe(true);
    expect(verifyWebhook(previous, both, body)).toBe(true);
  });

  it('refuses another secret, a changed body or id, and a stale timestamp', () => {
    const secret = generateWebhookSecret();
    const body = '{"type":"x"}';
    const headers = { ...signWebhook([secret], 'd-2', now(), body) };
    expect(verifyWebhook(generateWebhookSecret(), headers, body)).toBe(false);
    expect(verifyWebhook(secret, headers, `${body} `)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'd-3' }, body)).toBe(false);
    expect(verifyWebhook(secret, { ...signWebhook([secret], 'd-2', now() - 3600, body) }, body)).toBe(false);
  });
});
