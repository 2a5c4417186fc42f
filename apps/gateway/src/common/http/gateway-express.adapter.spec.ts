import { createServer, IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, HttpCode, Module, Post, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Response } from 'express';
import { expressHttpClasses, GatewayExpressAdapter } from './gateway-express.adapter';

/**
 * Counts the calls to `Object.setPrototypeOf` that really move a request or response to another prototype while
 * `run` executes (a call with the prototype the object already has changes nothing).
 */
async function prototypeMoves(run: () => Promise<void>): Promise<number> {
  const original = Object.setPrototypeOf;
  let moves = 0;
  Object.setPrototypeOf = (target: object, proto: object | null) => {
    const isHttpObject = target instanceof IncomingMessage || target instanceof ServerResponse;
    if (isHttpObject && Object.getPrototypeOf(target) !== proto) moves += 1;
    return original(target, proto);
  };
  try {
    await run();
  } finally {
    Object.setPrototypeOf = original;
  }
  return moves;
}

async function serve(app: express.Express, options: ServerOptions): Promise<{ server: Server; url: string }> {
  const server = createServer(options, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('expressHttpClasses', () => {
  const appWithRoute = () => {
    const app = express();
    app.get('/echo', (req, res) => {
      res.set('x-probe', 'yes').json({ host: req.get('host'), query: req.query, ctor: req.constructor.name, isRequest: req instanceof IncomingMessage });
    });
    return app;
  };

  it('creates requests and responses on Express prototypes, so Express never has to move them', async () => {
    const app = appWithRoute();
    const { server, url } = await serve(app, expressHttpClasses(app));
    try {
      let body: unknown;
      const moves = await prototypeMoves(async () => {
        const res = await fetch(`${url}/echo?a=1`);
        expect(res.headers.get('x-probe')).toBe('yes');
        body = await res.json();
      });
      expect(moves).toBe(0);
      expect(body).toEqual({ host: url.slice('http://'.length), query: { a: '1' }, ctor: 'ExpressRequest', isRequest: true });
    } finally {
      server.close();
    }
  });

  it('is what makes the difference: with Node’s own classes Express moves both objects on every request', async () => {
    const app = appWithRoute();
    const { server, url } = await serve(app, {});
    try {
      const moves = await prototypeMoves(async () => {
        await (await fetch(`${url}/echo`)).json();
        await (await fetch(`${url}/echo`)).json();
      });
      expect(moves).toBe(4);
    } finally {
      server.close();
    }
  });
});

@Controller()
class ReplyProbeController {
  @Post('created')
  created(@Body() body: unknown) {
    return { echoed: body };
  }

  @Post('accepted')
  @HttpCode(202)
  accepted() {
    return { ok: true };
  }

  @Get('unavailable')
  unavailable(@Res({ passthrough: true }) res: Response) {
    res.status(503);
    return { ready: false };
  }
}

@Module({ controllers: [ReplyProbeController] })
class ReplyProbeModule {}

describe('GatewayExpressAdapter before-reply hook', () => {
  let app: NestExpressApplication;
  let adapter: GatewayExpressAdapter;
  let url: string;
  const seen: { path: string; status: number; headersSent: boolean }[] = [];
  let failNext = false;

  beforeAll(async () => {
    adapter = new GatewayExpressAdapter();
    app = await NestFactory.create<NestExpressApplication>(ReplyProbeModule, adapter, { logger: false });
    adapter.setBeforeReply(async (req, res, status) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push({ path: req.path, status, headersSent: res.headersSent });
      if (failNext) throw new Error('audit store down');
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(() => {
    seen.length = 0;
    failNext = false;
  });

  it('runs before the body is written, with the status the response will carry', async () => {
    const created = await fetch(`${url}/created`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect([created.status, await created.json()]).toEqual([201, { echoed: { a: 1 } }]);
    const accepted = await fetch(`${url}/accepted`, { method: 'POST' });
    expect(accepted.status).toBe(202);
    const unavailable = await fetch(`${url}/unavailable`);
    expect(unavailable.status).toBe(503);
    expect(seen).toEqual([
      { path: '/created', status: 201, headersSent: false },
      { path: '/accepted', status: 202, headersSent: false },
      { path: '/unavailable', status: 503, headersSent: false },
    ]);
  });

  it('fails the request, without its body, when the hook rejects', async () => {
    failNext = true;
    const res = await fetch(`${url}/created`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"secret":"x"}' });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret');
    expect(seen).toHaveLength(1);
  });

  it('takes one hook only', () => {
    expect(() => adapter.setBeforeReply(async () => undefined)).toThrow(/already set/);
  });
});
