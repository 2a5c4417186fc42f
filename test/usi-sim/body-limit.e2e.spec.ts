import { request } from 'node:http';
import { MAX_BODY_BYTES } from '../../apps/usi-sim/src/http/http-io';
import { faultOf } from './support/sim-messages';
import { startTestSimulator } from './support/running-sim';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

/** Resolves on the response even if the server closes before the whole body is written (it stops reading early). */
function postLarge(url: string, bytes: number): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/soap+xml; charset=utf-8' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', (err) => (req.destroyed && (err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('usi-sim request size limit', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  it.each([
    ['STS', () => sim.stsUrl],
    ['USI', () => sim.usiUrl],
  ])('answers an oversized %s body with 413 and a SOAP Sender fault', async (_name, url) => {
    const res = await postLarge(url(), MAX_BODY_BYTES + 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.contentType).toContain('application/soap+xml');
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender' });
  });

  it('keeps serving after refusing an oversized body', async () => {
    await postLarge(sim.usiUrl, MAX_BODY_BYTES + 1);
    const res = await fetch(`${sim.url}/health`);
    expect(res.status).toBe(200);
  });
});
