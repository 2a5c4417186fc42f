import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Standard Webhooks verification written from the specification alone (https://www.standardwebhooks.com), with
 * node:crypto: deliberately not the gateway's signer, so a shared mistake cannot pass.
 */
export function verifiesWith(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = createHmac('sha256', key).update(signed).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  path: string;
}

export const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

export interface TestReceiver {
  /** `http://127.0.0.1:<port>` */
  base: string;
  received: Received[];
  /** Statuses to answer per path, in order; 200 once the list is used up. */
  script: Map<string, number[]>;
  at(path: string): Received[];
  close(): Promise<void>;
}

/** A webhook receiver on loopback that records every request and answers as scripted. */
export async function startReceiver(): Promise<TestReceiver> {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body, at: Date.now(), path: req.url ?? '' });
      const status = script.get(req.url ?? '')?.shift() ?? 200;
      res.writeHead(status).end(status === 200 ? 'thanks' : 'receiver error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    script,
    at: (path) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
