import { createServer, IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressHttpClasses } from './gateway-express.adapter';

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
