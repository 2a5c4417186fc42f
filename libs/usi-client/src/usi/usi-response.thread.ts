import { parentPort, workerData } from 'node:worker_threads';
import { findServiceVersion, UsiError, UsiOperation } from '@usi/contract';
import { UsiClientError } from '../errors/usi-client-error';
import type { HttpResponse } from '../http/http-transport';
import { parseUsiResponse } from './usi-response.parser';

/** One reply to read, as posted by `ThreadedResponseReader`. */
export interface ReadTask {
  id: number;
  op: UsiOperation;
  res: HttpResponse;
  endpoint: string;
  versionId: string;
}

/** The answer posted back: the decoded response, or the error as data (an Error's class does not cross threads). */
export type ReadAnswer =
  | { id: number; value: unknown }
  | { id: number; error: { kind: 'client' | 'usi' | 'other'; code: string; message: string; details?: Record<string, unknown> } };

/** Entry point of a reader thread: parses each task with the same function the inline reader uses. */
export function answer(task: ReadTask): ReadAnswer {
  try {
    const version = findServiceVersion(task.versionId);
    if (!version) throw new UsiError('contract.unknown_version', `Unknown USI web-service version ${task.versionId}`);
    return { id: task.id, value: parseUsiResponse(task.op, task.res, task.endpoint, version) };
  } catch (err) {
    if (err instanceof UsiError) {
      const kind = err instanceof UsiClientError ? 'client' : 'usi';
      return { id: task.id, error: { kind, code: err.code, message: err.message, details: err.details } };
    }
    return { id: task.id, error: { kind: 'other', code: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Set in `workerData` by the pool: only a thread it started answers tasks (never one that merely imports this file). */
export const READER_THREAD_MARK = 'usiResponseReader';

if (parentPort && (workerData as Record<string, unknown> | null)?.[READER_THREAD_MARK]) {
  const port = parentPort;
  port.on('message', (task: ReadTask) => port.postMessage(answer(task)));
}
