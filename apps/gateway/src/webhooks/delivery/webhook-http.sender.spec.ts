import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, isIP } from 'node:net';
import { loadConfig } from '../../config/app-config';
import { pinnedLookup, ResolvedAddress, Resolver, systemResolver, urlProblem, WebhookHttpSender } from './webhook-http.sender';

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
  const bodies: string[] = [];
  let answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void = (_req, res) => res.end('ok');

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        bodies.push(body);
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    bodies.length = 0;
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

    it.each([
      ['https://127.0.0.1/in', 'loopback'],
      ['https://2130706433/in', 'loopback'],
      ['https://[::1]/in', 'loopback'],
      ['https://[::ffff:127.0.0.1]/in', 'loopback'],
      ['https://169.254.169.254/latest/meta-data', 'private or reserved'],
      ['https://[fd00:ec2::254]/latest/meta-data', 'private or reserved'],
      ['https://[64:ff9b::a9fe:a9fe]/latest/meta-data', 'private or reserved'],
      ['https://10.0.0.7/in', 'private or reserved'],
    ])('judges the IP literal in %s itself, without asking DNS (%s)', async (url, reason) => {
      const resolver = resolvingTo('93.184.216.34');
      const result = await new WebhookHttpSender(PRODUCTION, resolver).send(url, {}, '{}');
      expect(result).toMatchObject({ ok: false, error: `refused: the host resolves to a ${reason} address` });
      expect(resolver.calls).toEqual([]);
    });

    it('refuses a name without any address', async () => {
      const result = await new WebhookHttpSender(PRODUCTION, resolvingTo()).send('https://hooks.example.test/in', {}, '{}');
      expect(result).toMatchObject({ ok: false, error: 'refused: the host name has no address' });
    });

    it('refuses plain http', async () => {
      const sender = new WebhookHttpSender(PRODUCTION, resolvingTo('93.184.216.34'));
      expect(await sender.send('http://hooks.example.test/in', {}, '{}')).toMatchObject({ ok: false, error: 'refused: URL must be an https URL' });
      expect(urlProblem('http://hooks.example.test/in', true)).toBe('must be an https URL');
      expect(urlProblem('https://user:pw@hooks.example.test/in', true)).toBe('must not contain credentials');
      expect(urlProblem('ftp://hooks.example.test/in', false)).toBe('must be an http or https URL');
    });

    it('refuses a URL that is not absolute or carries credentials, before resolving it', async () => {
      const resolver = resolvingTo('93.184.216.34');
      const sender = new WebhookHttpSender(PRODUCTION, resolver);
      expect(await sender.send('/relative/in', {}, '{}')).toMatchObject({ ok: false, error: 'refused: URL must be an absolute URL' });
      expect(await sender.send('https://user@hooks.example.test/in', {}, '{}')).toMatchObject({ ok: false, error: 'refused: URL must not contain credentials' });
      expect(await sender.send('https://:pw@hooks.example.test/in', {}, '{}')).toMatchObject({ ok: false, error: 'refused: URL must not contain credentials' });
      expect(resolver.calls).toEqual([]);
      expect(urlProblem('https://hooks.example.test/in', true)).toBeUndefined();
      expect(urlProblem('http://hooks.example.test/in', false)).toBeUndefined();
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

  it('posts the body once, with its headers, and reports the duration of the attempt', async () => {
    answer = (_req, res) => res.writeHead(204).end();
    const before = performance.now();
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, { 'webhook-id': 'x' }, '{"é":1}');
    const took = performance.now() - before;
    expect(result).toMatchObject({ ok: true, status: 204, responseBody: '' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.durationMs).toBeLessThanOrEqual(Math.ceil(took));
    expect(seen.map((r) => r.method)).toEqual(['POST']);
    expect(bodies).toEqual(['{"é":1}']);
    expect(seen[0]!.headers).toMatchObject({ 'content-length': '8', 'user-agent': 'usi-gateway-webhooks/1', 'webhook-id': 'x' });
  });

  it('delivers to an IP literal without asking DNS', async () => {
    const resolver = resolvingTo('10.0.0.7');
    const result = await new WebhookHttpSender(DEV, resolver).send(`http://127.0.0.1:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(resolver.calls).toEqual([]);
  });

  it.each([
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [304, false],
    [404, false],
  ])('counts status %i as delivered: %s', async (status, ok) => {
    answer = (_req, res) => res.writeHead(status).end();
    expect(await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}')).toMatchObject({ ok, status });
  });

  it('speaks TLS to an https URL (a plain-HTTP receiver gets a handshake it cannot read, and no request)', async () => {
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`https://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: false, error: 'network error: EPROTO' });
    expect(seen).toHaveLength(0);
  });

  it('stops reading at 1 KB and does not wait for the rest of the body', async () => {
    answer = (_req, res) => {
      res.writeHead(200);
      res.write('a'.repeat(512));
      setTimeout(() => res.write('b'.repeat(512)), 20);
    };
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: true, status: 200, responseBody: 'a'.repeat(512) + 'b'.repeat(512) });
  });

  it('stops at exactly 1 KB', async () => {
    answer = (_req, res) => res.writeHead(200).write('c'.repeat(1024));
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: true, status: 200, responseBody: 'c'.repeat(1024) });
  });

  it('reports a connection dropped in the middle of the response as a network error', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.destroy());
    };
    const result = await new WebhookHttpSender(DEV, resolvingTo('127.0.0.1')).send(`http://hooks.example.test:${port}/in`, {}, '{}');
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^network error: /) });
  });

  it('reports a failed name resolution by its code, and a long message cut to 500 characters', async () => {
    const failing = (err: Error): Resolver => () => Promise.reject(err);
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.test'), { code: 'ENOTFOUND' });
    expect(await new WebhookHttpSender(PRODUCTION, failing(notFound)).send('https://hooks.example.test/in', {}, '{}')).toMatchObject({
      ok: false,
      error: 'network error: ENOTFOUND',
    });
    const long = await new WebhookHttpSender(PRODUCTION, failing(new Error('x'.repeat(1000)))).send('https://hooks.example.test/in', {}, '{}');
    expect(long.error).toBe(`network error: ${'x'.repeat(500 - 'network error: '.length)}`);
  });

  it('gives up at the deadline when the name never resolves', async () => {
    const never: Resolver = () => new Promise<ResolvedAddress[]>(() => undefined);
    const result = await new WebhookHttpSender({ ...PRODUCTION, timeoutMs: 300 }, never).send('https://hooks.example.test/in', {}, '{}');
    expect(result).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
  });

  it('leaves no deadline timer behind', async () => {
    const set = jest.spyOn(global, 'setTimeout');
    const clear = jest.spyOn(global, 'clearTimeout');
    try {
      await new WebhookHttpSender(PRODUCTION, resolvingTo('10.0.0.7')).send('https://hooks.example.test/in', {}, '{}');
      const timer = set.mock.results[0]!.value as NodeJS.Timeout;
      expect(clear).toHaveBeenCalledWith(timer);
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });
});

describe(pinnedLookup.name, () => {
  const address: ResolvedAddress = { address: '93.184.216.34', family: 4 };

  it('answers the checked address to a lookup for all addresses', () => {
    const callback = jest.fn();
    pinnedLookup(address)('anything.example', { all: true }, callback);
    expect(callback).toHaveBeenCalledWith(null, [address]);
  });

  it('answers the checked address to a lookup for one address', () => {
    const callback = jest.fn();
    pinnedLookup({ address: '2606:4700::1111', family: 6 })('anything.example', {}, callback);
    expect(callback).toHaveBeenCalledWith(null, '2606:4700::1111', 6);
  });
});

describe('systemResolver', () => {
  it('returns every address of a name with its family', async () => {
    const answers = await systemResolver('localhost');
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) expect(a).toEqual({ address: a.address, family: isIP(a.address) });
  });

  it('gives an IP literal back as itself', async () => {
    expect(await systemResolver('127.0.0.1')).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await systemResolver('::1')).toEqual([{ address: '::1', family: 6 }]);
  });
});
