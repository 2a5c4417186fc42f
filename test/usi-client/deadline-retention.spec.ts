import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * A call's deadline must not keep the caller's async context alive after the call. Every timer holds the async
 * context it was created in; with `AbortSignal.timeout` the deadline timer ran for the whole timeout, so in the
 * gateway each request's object graph (request, response, CLS store) stayed reachable for 30 s after it ended.
 * Counted from a heap snapshot of a separate node process running the built transport (`npm test` builds dist/
 * first), so nothing the test runner holds is counted.
 */
const TRANSPORT = resolve(__dirname, '..', '..', 'dist', 'libs', 'usi-client', 'src', 'http', 'undici-http-transport.js');

const SCRIPT = `
const { AsyncLocalStorage } = require('node:async_hooks');
const { readFileSync, rmSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { writeHeapSnapshot } = require('node:v8');
const { UndiciHttpTransport } = require(process.argv[1]);
class CallContextMarker {}
function reachableMarkers() {
  const file = writeHeapSnapshot(join(tmpdir(), 'deadline-retention-' + process.pid + '.heapsnapshot'));
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  const { node_fields, node_types } = snap.snapshot.meta;
  let n = 0;
  for (let i = 0; i < snap.nodes.length; i += node_fields.length) {
    if (node_types[0][snap.nodes[i]] === 'object' && snap.strings[snap.nodes[i + 1]] === 'CallContextMarker') n++;
  }
  return n;
}
(async () => {
  const server = http.createServer((req, res) => req.resume().on('end', () => res.end('<ok/>')));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = 'http://127.0.0.1:' + server.address().port + '/svc';
  const transport = new UndiciHttpTransport();
  const post = () => transport.post(url, '<x/>', { headers: { 'content-type': 'application/soap+xml' }, timeoutMs: 600000 });
  await post();
  const context = new AsyncLocalStorage();
  for (let i = 0; i < 5; i++) await context.run(new CallContextMarker(), post);
  await new Promise((r) => setImmediate(r));
  process.stdout.write(String(reachableMarkers()));
  await transport.close();
  server.close();
})();
`;

describe('UndiciHttpTransport deadline', () => {
  it('leaves no finished call context reachable, however long the deadline', () => {
    const run = spawnSync(process.execPath, ['-e', SCRIPT, TRANSPORT], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    // Five calls ran in their own contexts with a 10-minute deadline. A socket opened during a call keeps that call's
    // context for the socket's life, so at most one (the call that opened a second connection) may remain.
    expect(Number(run.stdout)).toBeLessThanOrEqual(1);
  });
});
