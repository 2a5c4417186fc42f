import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { soapHeaders } from './http-transport';
import { UndiciHttpTransport } from './undici-http-transport';
import { clientErrorOf } from '../testing/client-error-of';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/svc`, connections: () => connections };
}

describe('UndiciHttpTransport', () => {
  const servers: Server[] = [];
  let transport: UndiciHttpTransport;

  beforeEach(() => {
    transport = new UndiciHttpTransport({ maxResponseBytes: 1024 });
  });

  afterEach(async () => {
    await transport.close();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  async function serve(handler: Handler) {
    const srv = await listen(handler);
    servers.push(srv.server);
    return srv;
  }

  it('posts the body with the SOAP 1.2 content type and returns status, body and headers', async () => {
    const seen: { body: string; contentType?: string }[] = [];
    const { url } = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ body, contentType: req.headers['content-type'] });
        res.writeHead(500, { 'content-type': 'application/soap+xml', 'x-multi': ['a', 'b'] });
        res.end('<fault/>');
      });
    });
    const res = await transport.post(url, '<env/>', { headers: soapHeaders('urn:act'), timeoutMs: 5000 });
    expect(res).toEqual({ status: 500, body: '<fault/>', headers: expect.objectContaining({ 'x-multi': 'a, b' }) });
    expect(seen).toEqual([{ body: '<env/>', contentType: 'application/soap+xml; charset=utf-8; action="urn:act"' }]);
  });

  it('reuses keep-alive connections across sequential calls', async () => {
    const srv = await serve((req, res) => req.resume().on('end', () => res.end('ok')));
    for (let i = 0; i < 20; i++) await transport.post(srv.url, 'x', { headers: {}, timeoutMs: 5000 });
    // undici may open a second socket while the first is being released; what matters is no socket per call.
    expect(srv.connections()).toBeLessThanOrEqual(2);
  });

  it('maps a server that never answers to upstream.timeout', async () => {
    const { url } = await serve(() => undefined);
    const err = await clientErrorOf(transport.post(url, 'x', { headers: {}, timeoutMs: 200 }));
    expect(err.code).toBe('upstream.timeout');
    expect(err.details).toMatchObject({ timeoutMs: 200 });
  });

  it('applies the deadline to the body as well as the headers', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200);
      res.write('<partial');
    });
    expect((await clientErrorOf(transport.post(url, 'x', { headers: {}, timeoutMs: 200 }))).code).toBe('upstream.timeout');
  });

  it('maps a refused connection to upstream.unavailable', async () => {
    const srv = await listen(() => undefined);
    await new Promise((resolve) => srv.server.close(resolve));
    const err = await clientErrorOf(transport.post(srv.url, 'x', { headers: {}, timeoutMs: 2000 }));
    expect(err.code).toBe('upstream.unavailable');
    expect(err.details).toMatchObject({ cause: 'ECONNREFUSED' });
  });

  it('maps a connection reset mid-response to upstream.unavailable', async () => {
    const { url } = await serve((req) => req.socket.destroy());
    expect((await clientErrorOf(transport.post(url, 'x', { headers: {}, timeoutMs: 2000 }))).code).toBe('upstream.unavailable');
  });

  it('refuses a response larger than the cap', async () => {
    const { url } = await serve((_req, res) => res.end('x'.repeat(4096)));
    const err = await clientErrorOf(transport.post(url, 'x', { headers: {}, timeoutMs: 2000 }));
    expect(err.code).toBe('upstream.bad_response');
  });

  it('reports a caller cancellation as upstream.aborted, not as a timeout', async () => {
    const { url } = await serve(() => undefined);
    const ac = new AbortController();
    const pending = transport.post(url, 'x', { headers: {}, timeoutMs: 10_000, signal: ac.signal });
    setImmediate(() => ac.abort());
    expect((await clientErrorOf(pending)).code).toBe('upstream.aborted');
  });
});
