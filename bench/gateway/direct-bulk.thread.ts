import { parentPort, Worker, workerData } from 'node:worker_threads';
import { loadCredential } from '@usi/keystore';
import { resolveEndpoints, ThreadedResponseReader, UsiClient } from '@usi/client';
import type { Verification } from '@usi/contract';

export interface DirectBulkInput {
  simUrl: string;
  /** A keystore document (writeKeystore) and its password: key objects do not cross to a thread. */
  keystore: { xml: string; password: string };
  actAs: { firstPartyAbn: string; secondPartyAbn: string; ssid: string };
  orgCode: string;
  concurrency: number;
  /** Reader threads for the answers, as the gateway's `USI_READER_THREADS` (0: read inline, the library's default). */
  readerThreads: number;
  batches: Verification[][];
}

/**
 * The "direct" side of bench:jobs: the client library sending the batches, `concurrency` at a time, in a thread of its
 * own. In the bench's main thread its XML work (signing, parsing 500-row answers) would delay the interactive load
 * generator's timers and responses, and be counted as interactive latency; on an overloaded VM a thread also gets its
 * own share of the CPU, like the gateway's worker process. Resolves with the wall time in seconds.
 */
export function runDirectBulk(input: DirectBulkInput): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: input });
    worker.once('message', (seconds: number) => resolve(seconds));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`direct bulk thread exited with ${code}`)));
  });
}

async function sendAll(input: DirectBulkInput): Promise<number> {
  const credential = loadCredential(input.keystore.xml, { password: input.keystore.password });
  const responseReader = input.readerThreads > 0 ? new ThreadedResponseReader({ threads: input.readerThreads }) : undefined;
  const client = new UsiClient({ endpoints: resolveEndpoints('sim', { simUrl: input.simUrl }), timeoutMs: 60_000, responseReader });
  const ctx = { credential, actAs: input.actAs };
  try {
    // Token and connections first, as the gateway's worker has them warm.
    await client.bulkVerifyUsi(ctx, { orgCode: input.orgCode, noOfVerifications: 1, verifications: input.batches[0].slice(0, 1) });
    const t0 = performance.now();
    let next = 0;
    let answered = 0;
    await Promise.all(
      Array.from({ length: input.concurrency }, async () => {
        while (next < input.batches.length) {
          const verifications = input.batches[next++];
          const res = await client.bulkVerifyUsi(ctx, { orgCode: input.orgCode, noOfVerifications: verifications.length, verifications });
          answered += res.verificationResponses.length;
        }
      }),
    );
    const rows = input.batches.reduce((n, b) => n + b.length, 0);
    if (answered !== rows) throw new Error(`direct: ${answered} of ${rows} answered`);
    return (performance.now() - t0) / 1000;
  } finally {
    await client.close();
    await responseReader?.close();
  }
}

if (parentPort && workerData) {
  void sendAll(workerData as DirectBulkInput).then((seconds) => parentPort!.postMessage(seconds));
}
