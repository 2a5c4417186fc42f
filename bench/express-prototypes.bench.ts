import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Agent, request } from 'undici';
import { expressHttpClasses } from '../apps/gateway/src/common/http/gateway-express.adapter';

/**
 * What Express 5's per-request `Object.setPrototypeOf(req|res, app.request|app.response)` costs V8, and what
 * `expressHttpClasses` (GatewayExpressAdapter) saves: a bare Express app with one JSON route runs in a child process
 * under `--trace-gc-nvp`, once with Node's own request/response classes and once with classes on Express's
 * prototypes, alternating; a client in this process calls it back to back (concurrency 1) for DURATION_MS. Reported
 * per request: bytes allocated and promoted to the old generation (sums over the child's GC lines), and the number of
 * mark-compacts. `node dist/bench/express-prototypes.bench.js [durationMs=4000] [rounds=2]`.
 */
const DURATION_MS = Number(process.argv[2] ?? 4000);
const ROUNDS = Number(process.argv[3] ?? 2);
const VARIANTS = ['node classes', 'express classes'] as const;
type Variant = (typeof VARIANTS)[number];

function serve(variant: Variant): void {
  const app = express();
  app.get('/health/live', (_req, res) => res.json({ status: 'ok' }));
  const server = createServer(variant === 'express classes' ? expressHttpClasses(app) : {}, app);
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`));
}

interface Run {
  variant: Variant;
  requests: number;
  allocatedPerRequest: number;
  promotedPerRequest: number;
  markCompacts: number;
}

async function measure(variant: Variant): Promise<Run> {
  const child = spawn(process.execPath, ['--trace-gc-nvp', __filename, 'serve', variant], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const agent = new Agent({ connections: 1 });
  const gcBefore = out.length;
  let requests = 0;
  for (const until = Date.now() + DURATION_MS; Date.now() < until; requests += 1) {
    await (await request(`http://127.0.0.1:${port}/health/live`, { dispatcher: agent })).body.text();
  }
  await agent.close();
  await new Promise((r) => setTimeout(r, 200));
  child.kill();
  const lines = out.slice(gcBefore).split('\n').filter((l) => / gc=(s|mc|ms) /.test(l));
  const sum = (field: string) => lines.reduce((n, l) => n + Number(new RegExp(` ${field}=(\\d+)`).exec(l)?.[1] ?? 0), 0);
  return {
    variant,
    requests,
    allocatedPerRequest: sum('allocated') / requests,
    promotedPerRequest: sum('promoted') / requests,
    markCompacts: lines.filter((l) => / gc=m[cs] /.test(l)).length,
  };
}

async function main(): Promise<void> {
  const rows: Run[] = [];
  for (let round = 0; round < ROUNDS; round += 1) for (const variant of VARIANTS) rows.push(await measure(variant));
  const lines = [
    `express prototypes bench: GET /health/live on bare Express ${require('express/package.json').version}, concurrency 1, ${DURATION_MS / 1000} s per run, node ${process.version}`,
    '| variant | requests/s | allocated B/request | promoted B/request | mark-compacts |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${((r.requests * 1000) / DURATION_MS).toFixed(0)} | ${r.allocatedPerRequest.toFixed(0)} | ${r.promotedPerRequest.toFixed(0)} | ${r.markCompacts} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[2] === 'serve') serve(process.argv[3] as Variant);
else
  main().catch((err: unknown) => {
    process.stderr.write(`express prototypes bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
