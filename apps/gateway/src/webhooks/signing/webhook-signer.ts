import { createHmac, randomBytes } from 'node:crypto';

/*
 * Standard Webhooks signing (https://www.standardwebhooks.com), framework-free: no Nest, no database, so the docs'
 * receiver example and the tests can be read against it line by line.
 *
 * secret  `whsec_` + base64 of the key bytes; the HMAC key is the decoded bytes, not the string.
 * content `${webhook-id}.${webhook-timestamp}.${body}` (timestamp in whole seconds since the epoch)
 * header  `webhook-signature: v1,<base64 HMAC-SHA256>`, space-separated when several secrets sign (rotation).
 */

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The HMAC key of a `whsec_` secret. Throws on anything else, so a malformed secret never signs. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('webhook secret must start with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < 24) throw new Error('webhook secret is too short');
  return key;
}

export function signatureOf(secret: string, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** The three headers of one delivery attempt, signed with every secret given (the current one first). */
export function signWebhook(secrets: readonly string[], id: string, timestamp: number, body: string): SignedHeaders {
  if (!secrets.length) throw new Error('at least one webhook secret is needed');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signatureOf(s, id, timestamp, body)).join(' '),
  };
}
