import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector, FaultPlan, FaultTarget } from '../faults/fault-injector';
import { SOAP12_CONTENT_TYPE, type SimResponse } from '../soap/soap-response';
import { soapFaultXml } from '@usi/ws-security';
import { MAX_BODY_BYTES, readBody, send, send as sendAt, waitOrDisconnect } from './http-io';

/** A well-formed start with a mismatched close: what a proxy error page or a broken serializer looks like. */
const MALFORMED_BODY = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><Broken></s:Body></s:Envelope>`;

/** nginx's page, as sent when the upstream behind it is down (HTML, so not well-formed XML: `<hr>` is never closed). */
const BAD_GATEWAY_PAGE = [
  '<html>',
  '<head><title>502 Bad Gateway</title></head>',
  '<body>',
  '<center><h1>502 Bad Gateway</h1></center>',
  '<hr><center>nginx</center>',
  '</body>',
  '</html>',
  '',
].join('\r\n');

/**
 * Runs one STS or USI request through the fault plan: latency first, then either a transport failure or the real
 * handler (whose output may still be truncated). Returns a log summary: the HTTP status sent (or none) and why.
 * Every answer's Date header is the endpoint's clock (`now`), skew included, as a real server's would be.
 */
export async function serveProtocol(
  req: IncomingMessage,
  res: ServerResponse,
  target: FaultTarget,
  faults: FaultInjector,
  handle: (xml: string, plan: FaultPlan) => Promise<SimResponse> | SimResponse,
  body?: string,
  now: () => Date = () => new Date(),
): Promise<string> {
  const send = (r: ServerResponse, status: number, contentType: string, text: string) => sendAt(r, status, contentType, text, now());
  const xml = body ?? (await readBody(req));
  const plan = faults.plan(target);
  if (plan.delayMs > 0) await waitOrDisconnect(plan.delayMs, req);
  if (req.socket.destroyed) return 'no response';
  switch (plan.failure) {
    case 'reset':
      // resetAndDestroy sends a TCP RST (Node >= 20.x); destroy is the fallback, an abrupt FIN.
      (req.socket as { resetAndDestroy?: () => void }).resetAndDestroy?.() ?? req.socket.destroy();
      return 'no response';
    case 'http503':
      send(res, 503, 'text/html; charset=utf-8', '<html><body><h1>503 Service Unavailable</h1></body></html>');
      return '503 injected';
    case 'http502':
      send(res, 502, 'text/html', BAD_GATEWAY_PAGE);
      return '502 injected';
    case 'hang':
      await waitOrDisconnect(plan.hangMs, req);
      if (req.socket.destroyed) return 'no response';
      send(res, 503, 'text/plain; charset=utf-8', 'Service Unavailable');
      return '503 injected';
    case 'malformed':
      send(res, 200, SOAP12_CONTENT_TYPE, MALFORMED_BODY);
      return '200 injected malformed';
    default: {
      const response = await handle(xml, plan);
      const text = plan.failure === 'truncated' ? truncate(response.body) : response.body;
      send(res, response.status, response.contentType, text);
      return `${response.status}${plan.failure ? ' truncated' : ''}${response.note ? ` (${response.note})` : ''}`;
    }
  }
}

/**
 * An STS/USI body over the cap is the client's fault, not a crash: a SOAP Sender fault with HTTP 413. The connection
 * is closed because the rest of the upload was never read.
 */
export function sendBodyTooLarge(res: ServerResponse): void {
  res.setHeader('connection', 'close');
  send(res, 413, SOAP12_CONTENT_TYPE, soapFaultXml({ code: 'Sender', reason: `The message exceeds ${MAX_BODY_BYTES} bytes` }));
}

function truncate(body: string): string {
  return Buffer.from(body).subarray(0, Math.floor(Buffer.byteLength(body) / 2)).toString('utf8');
}
