import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { findServiceVersion, OperationResponse, UsiError, UsiOperation, UsiServiceVersion } from '@usi/contract';
import { UsiClientError, UsiClientErrorCode } from '../errors/usi-client-error';
import type { HttpResponse } from '../http/http-transport';
import { inlineResponseReader, UsiResponseReader } from './usi-response.reader';
import { READER_THREAD_MARK, type ReadAnswer, type ReadTask } from './usi-response.thread';

export interface ThreadedReaderOptions {
  /** Reader threads, started on first use (default 1). */
  threads?: number;
  /** Replies smaller than this are read inline: the hop to a thread costs more than reading them (default 64 KiB). */
  minBytes?: number;
  /** The built thread entry (`usi-response.thread.js`); default: beside this file. */
  script?: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface ReaderThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

const DEFAULT_MIN_BYTES = 64 * 1024;

/**
 * Reads large replies (a 500-row bulk answer: ~30 ms of XML parsing) on worker threads, so the caller's event loop
 * stays free for the work around each call (a gateway worker's database round trips, other calls' requests). Same
 * parser, same results and errors as the inline reader: the thread runs `parseUsiResponse` and the error comes back
 * as data and is rebuilt as the same class with the same code and details.
 *
 * Falls back to inline reading where no built thread entry exists (sources run through a TypeScript transform, as
 * under jest) and for a version object that is not one of the contract's (a thread can only look versions up by id).
 * A thread that dies fails the reads it held with `upstream.bad_response` and is replaced on the next read.
 */
export class ThreadedResponseReader implements UsiResponseReader {
  private readonly threads: (ReaderThread | undefined)[];
  private readonly minBytes: number;
  private readonly script: string | undefined;
  private nextId = 1;
  private closed = false;

  constructor(opts: ThreadedReaderOptions = {}) {
    this.threads = new Array(Math.max(1, opts.threads ?? 1)).fill(undefined);
    this.minBytes = opts.minBytes ?? DEFAULT_MIN_BYTES;
    const script = opts.script ?? join(__dirname, 'usi-response.thread.js');
    this.script = existsSync(script) ? script : undefined;
  }

  /** False when every read is inline (no built thread entry). */
  get threaded(): boolean {
    return this.script !== undefined;
  }

  read<O extends UsiOperation>(op: O, res: HttpResponse, endpoint: string, version: UsiServiceVersion): Promise<OperationResponse<O>> {
    const inline = !this.script || this.closed || res.body.length < this.minBytes || findServiceVersion(version.id) !== version;
    if (inline) return inlineResponseReader.read(op, res, endpoint, version);
    const thread = this.leastBusy();
    const id = this.nextId++;
    const task: ReadTask = { id, op, res: { status: res.status, body: res.body, headers: res.headers }, endpoint, versionId: version.id };
    return new Promise<OperationResponse<O>>((resolve, reject) => {
      thread.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // Referenced only while it holds a read: an idle pool never keeps the process alive.
      thread.worker.ref();
      thread.worker.postMessage(task);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = this.threads.filter((t): t is ReaderThread => t !== undefined);
    this.threads.fill(undefined);
    await Promise.all(running.map((t) => t.worker.terminate()));
  }

  private leastBusy(): ReaderThread {
    let best = -1;
    for (let i = 0; i < this.threads.length; i++) {
      const t = this.threads[i];
      if (!t) {
        best = i;
        break;
      }
      if (best < 0 || t.pending.size < this.threads[best]!.pending.size) best = i;
    }
    return (this.threads[best] ??= this.start(best));
  }

  private start(slot: number): ReaderThread {
    const worker = new Worker(this.script!, { workerData: { [READER_THREAD_MARK]: true } });
    const thread: ReaderThread = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (a: ReadAnswer) => {
      const p = thread.pending.get(a.id);
      if (!p) return;
      thread.pending.delete(a.id);
      if (thread.pending.size === 0) worker.unref();
      if ('error' in a) p.reject(rebuilt(a.error));
      else p.resolve(a.value);
    });
    const fail = (reason: string) => {
      if (this.threads[slot] === thread) this.threads[slot] = undefined;
      for (const p of thread.pending.values()) p.reject(new UsiClientError('upstream.bad_response', `The reply could not be read: ${reason}`));
      thread.pending.clear();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`reader thread exited with ${code}`));
    return thread;
  }
}

function rebuilt(e: Extract<ReadAnswer, { error: unknown }>['error']): Error {
  if (e.kind === 'client') return new UsiClientError(e.code as UsiClientErrorCode, e.message, e.details);
  if (e.kind === 'usi') return new UsiError(e.code, e.message, e.details);
  return new Error(e.message);
}
