import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/app-config';
import { Resolver, urlProblem, WebhookHttpSender } from './webhook-http.sender';

const PRODUCTION = { requireHttps: true, allowLoopback: false, timeoutMs: 2_000 };
const DEV = { requireHttps: false, allowLoopback: true, timeoutMs: 2_000 };

/** A name server under the test's control: `hooks.example.test` resolves to whatever the case says. */
const resolvingTo =
  (...addresses: string[]): Resolver & { calls: string[] } => {
    const calls: string[] = [];
    const resolve = async (host: string) => {
      calls.push(host);
      return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
    };
    return Object.assign(resolve, { calls });
  };

describe(WebhookHttpSender.name, () => {
  let server: Server;
  let port: number;
  const seen: IncomingMessage[] = [];
  let answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void = (_req, res) => res.end('ok');

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      req.resume();
      req.on('end', () => answer(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    answer = (_req, res) => res.end('ok');
  });

  describe('in production mode', () => {
    it.each([
      ['127.0.0.1', /loopback/],
      ['169.254.169.254', /private or reserved/],
      ['fd00:ec2::254', /private or reserved/],
      ['10.0.0.7', /private or reserved/],
    ])('refuses a URL resolving to %s, without connecting', async (address, reason) => {
      const sender = new WebhookHttpSender(PRODUCTION, resolvingTo(address));
      const result = await sender.send(`https://hooks.example.test:${port}/in`, {}, '{}');
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(reason) });
      expect(result.status).toBeUndefined();
      expect(seen).toHaveLength(0);
    });

    it('is what NODE_ENV=production configures', async () => {
      const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/usi', NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), METRICS_PORT: '9464' });
      for (const address of ['127.0.0.1', '169.254.169.254']) {
        const sender = new WebhookHttpSender(config.webhooks, resolvingTo(address));
        expect(await sender.send(`https://hooks.example.test:${port}/in`, {}, '{}')).toMatchObject({ ok: false, error: expect.stringMatching(/^refused/) });
      }
      expect(seen).toHaveLength(0);
    });

    it('refuses a name with one private answer among public ones', async () => {
      const sender = new WebhookHttpSender(PRODUCTION, resolvingTo('93.184.216.34', '169.254.169.254'));
      expect(await sender.send('https://hooks.example.test/in', {}, '{}')).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
    });

    it('refuses IP literals in the URL the same way', async () => {
      const sender = new WebhookHttpSender(PRODUCTION, resolvingTo());
      for (const url of ['https://127.0.0.1/in', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/in', 'https://[::ffff:127.0.0.1]/in']) {
        expect(await sender.send(url, {}, '{}')).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
      }
    });

    it('refuses plain http', async () => {
      const sender = new WebhookHttpSender(PRODUCTION, resolvingTo('93.184.216.34'));
      expect(await sender.send('http://hooks.example.test/in', {}, '{}')).toMatchObject({ ok: false, error: 'refused: URL must be an https URL' });
      expect(urlProblem('http://hooks.example.test/in', true)).toBe('must be an https URL');
      expect(urlProblem('https://user:pw@hooks.example.test/in', true)).toBe('must not contain credentials');
      expect(urlProblem('ftp://hooks.example.test/in', false)).toBe('must be an http or https URL');
    });
  });

  it('refuses loopback outside production too, unless the development flag is set', async () => {
    const strict = new WebhookHttpSender({ ...DEV, allowLoopback: false }, resolvingTo('127.0.0.1'));
    expect(await strict.send(`http://hooks.example.test:${port}/in`, {}, '{}')).toMatchObject({ ok: false, error: expect.stringMatching(/loopback/) });
    expect(seen).toHaveLength(0);
  });

  it('connects to the checked address itself: the name is resolved once and never again by the HTTP client', async () => {
    const resolver = resolvingTo('127.0.0.1');
    const sender = new WebhookHttpSender(DEV, resolver);
    // `hooks.example.test` exists in no DNS: only the pinned, checked address can have reached the server.
    const result = await sender.send(`http://hooks.example.test:${port}/in`, { 'webhook-id': 'x' }, '{"a":1}');
    expect(result).toMatchObject({ ok: true, status: 200, responseBody: 'ok' });
    expect(resolver.calls).toEqual(['hooks.example.test']);
    expect(seen[0]!.headers).toMatchObject({ host: `hooks.example.test:${port}`, 'webhook-id': 'x', 'content-type': 'application/json' });
  });

  it('does not follow redirects (a 3xx is a failed attempt)', async () => {
    answer = (req, res) => (req.url === '/in' ? res.writeHead(302, { location: '/elsewhere' }).end() : res.end('followed'));
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(seen.map((r) => r.url)).toEqual(['/in']);
  });

  it('keeps the first 1 KB of the response', async () => {
    answer = (_req, res) => res.writeHead(500).end('x'.repeat(5000));
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: false, status: 500 });
    expect(result.responseBody).toHaveLength(1024);
  });

  it('gives up at the deadline when the receiver never answers', async () => {
    answer = () => undefined;
    const result = await new WebhookHttpSender({ ...DEV, timeoutMs: 300 }, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
  });
});
