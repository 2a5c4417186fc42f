import type { IncomingMessage, ServerResponse } from 'node:http';

/** Larger than parseXml's 5 MiB cap so that oversize XML is refused by the parser with its own fault. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `date`: the Date header to send instead of Node's (the simulator's clock may be skewed on purpose). */
export function send(res: ServerResponse, status: number, contentType: string, body: string, date?: Date): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...(date ? { date: date.toUTCString() } : {}),
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (value === undefined) {
    res.writeHead(status).end();
    return;
  }
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** Resolves after `ms`, or as soon as the client goes away (so a hang or latency never outlives its caller). */
export function waitOrDisconnect(ms: number | undefined, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    function done(): void {
      if (timer) clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    }
    req.socket.once('close', done);
  });
}
