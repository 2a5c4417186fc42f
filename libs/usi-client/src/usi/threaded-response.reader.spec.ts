import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { encodeErrorInfo, encodeResponse, V5, VerificationResponse } from '@usi/contract';
import { soapFaultXml } from '@usi/ws-security';
import { UsiClientError } from '../errors/usi-client-error';
import { HttpResponse } from '../http/http-transport';
import { ThreadedResponseReader } from './threaded-response.reader';
import { inlineResponseReader } from './usi-response.reader';

/** Threads run JavaScript: the built entry (`npm test` builds before it runs jest). */
const BUILT_THREAD = join(__dirname, '../../../../dist/libs/usi-client/src/usi/usi-response.thread.js');
const ENDPOINT = 'https://usi.test/usi';
const envelope = (body: string) => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body>${body}</s:Body></s:Envelope>`;

function bulkAnswer(rows: number): HttpResponse {
  const verificationResponses: VerificationResponse[] = Array.from({ length: rows }, (_, i) =>
    i % 3 === 0
      ? { usiStatus: 'Valid', firstName: 'Match', familyName: 'NoMatch', dateOfBirth: 'Match', usi: 'BNGH7C75FN', recordId: i + 1 }
      : { usiStatus: 'Deactivated', usi: 'HQ9HHNJC3J', recordId: i + 1 },
  );
  return { status: 200, body: envelope(encodeResponse('BulkVerifyUSI', { verificationResponses })), headers: {} };
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('ThreadedResponseReader', () => {
  let reader: ThreadedResponseReader;

  beforeEach(() => {
    reader = new ThreadedResponseReader({ script: BUILT_THREAD, minBytes: 0 });
    expect(reader.threaded).toBe(true); // fails when dist/ is missing: run `npm run build`
  });
  afterEach(() => reader.close());

  it('reads a 500-row answer to the same value as the inline reader', async () => {
    const res = bulkAnswer(500);
    const threaded = await reader.read('BulkVerifyUSI', res, ENDPOINT, V5);
    expect(threaded.verificationResponses).toHaveLength(500);
    expect(threaded).toEqual(await inlineResponseReader.read('BulkVerifyUSI', res, ENDPOINT, V5));
  });

  it('keeps the caller’s event loop turning while a thread reads (inline, the read holds it)', async () => {
    const res = bulkAnswer(1000);
    const turnsDuring = async (read: () => Promise<unknown>) => {
      let done = false;
      const reading = read().finally(() => (done = true));
      let turns = 0;
      while (!done) {
        await nextTurn();
        turns += 1;
      }
      await reading;
      return turns;
    };
    expect(await turnsDuring(() => reader.read('BulkVerifyUSI', res, ENDPOINT, V5))).toBeGreaterThan(10);
    expect(await turnsDuring(() => inlineResponseReader.read('BulkVerifyUSI', res, ENDPOINT, V5))).toBeLessThanOrEqual(1);
  });

  it('rejects with the same client error as the inline reader: a business fault with its ErrorInfo', async () => {
    const detail = encodeErrorInfo([{ code: 2002, title: 'Organisation Failed Authorisation', message: 'Not authorised.' }]);
    const res = { status: 500, body: soapFaultXml({ code: 'Sender', reason: 'x', detailXml: detail }), headers: {} };
    const threaded = await failureOf(reader.read('VerifyUSI', res, ENDPOINT, V5));
    const inline = await failureOf(inlineResponseReader.read('VerifyUSI', res, ENDPOINT, V5));
    expect(threaded).toBeInstanceOf(UsiClientError);
    expect(threaded).toMatchObject({ code: 'usi.fault', message: (inline as Error).message, details: (inline as UsiClientError).details });
    expect((threaded as UsiClientError).details?.errors).toEqual([{ code: 2002, title: 'Organisation Failed Authorisation', message: 'Not authorised.' }]);
  });

  it('rejects an unreadable or unexpected reply as the inline reader does', async () => {
    for (const res of [
      { status: 200, body: '<s:Envelope', headers: {} },
      { status: 200, body: envelope(encodeResponse('VerifyUSI', { usiStatus: 'Valid' })), headers: {} },
      { status: 502, body: 'bad gateway', headers: {} },
    ]) {
      const threaded = await failureOf(reader.read('BulkVerifyUSI', res, ENDPOINT, V5));
      const inline = (await failureOf(inlineResponseReader.read('BulkVerifyUSI', res, ENDPOINT, V5))) as UsiClientError;
      expect(threaded).toBeInstanceOf(UsiClientError);
      expect(threaded).toMatchObject({ code: inline.code, message: inline.message, details: inline.details });
    }
  });

  it('reads inline when no built thread entry exists (sources under a transform), with the same result', async () => {
    const unbuilt = new ThreadedResponseReader({ script: join(tmpdir(), 'no-such-thread.js'), minBytes: 0 });
    expect(unbuilt.threaded).toBe(false);
    const res = bulkAnswer(3);
    expect(await unbuilt.read('BulkVerifyUSI', res, ENDPOINT, V5)).toEqual(await inlineResponseReader.read('BulkVerifyUSI', res, ENDPOINT, V5));
    await unbuilt.close();
  });

  describe('with a stand-in thread entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reader-thread-'));
    // Answers with its thread id after `delay` ms, or exits when the endpoint says so.
    const script = join(dir, 'thread.js');
    writeFileSync(
      script,
      `const { parentPort, threadId } = require('node:worker_threads');
       parentPort.on('message', (t) => {
         if (t.endpoint === 'exit') process.exit(3);
         setTimeout(() => parentPort.postMessage({ id: t.id, value: { threadId, op: t.op, version: t.versionId } }), 50);
       });`,
    );
    const res = bulkAnswer(1);

    it('spreads concurrent reads over its threads and matches each answer to its read', async () => {
      const two = new ThreadedResponseReader({ script, threads: 2, minBytes: 0 });
      try {
        const answers = (await Promise.all([
          two.read('BulkVerifyUSI', res, ENDPOINT, V5),
          two.read('VerifyUSI', res, ENDPOINT, V5),
          two.read('GetCountries', res, ENDPOINT, V5),
        ])) as unknown as { threadId: number; op: string; version: string }[];
        expect(answers.map((a) => a.op)).toEqual(['BulkVerifyUSI', 'VerifyUSI', 'GetCountries']);
        expect(answers.every((a) => a.version === 'v5')).toBe(true);
        expect(new Set(answers.map((a) => a.threadId)).size).toBe(2);
      } finally {
        await two.close();
      }
    });

    it('reads small replies and unregistered versions inline, never on a thread', async () => {
      const picky = new ThreadedResponseReader({ script, minBytes: res.body.length + 1 });
      const small = await picky.read('BulkVerifyUSI', res, ENDPOINT, V5);
      expect(small).toEqual({ verificationResponses: [expect.objectContaining({ usiStatus: 'Valid', recordId: 1 })] });
      const anyBody = new ThreadedResponseReader({ script, minBytes: 0 });
      expect(await anyBody.read('BulkVerifyUSI', res, ENDPOINT, { ...V5 })).toEqual(small);
      await Promise.all([picky.close(), anyBody.close()]);
    });

    it('fails the reads of a thread that dies with upstream.bad_response, and the next read gets a new thread', async () => {
      const one = new ThreadedResponseReader({ script, minBytes: 0 });
      try {
        const lost = await failureOf(one.read('BulkVerifyUSI', res, 'exit', V5));
        expect(lost).toBeInstanceOf(UsiClientError);
        expect(lost).toMatchObject({ code: 'upstream.bad_response', message: expect.stringContaining('exited with 3') });
        expect(await one.read('BulkVerifyUSI', res, ENDPOINT, V5)).toMatchObject({ op: 'BulkVerifyUSI' });
      } finally {
        await one.close();
      }
    });
  });
});
