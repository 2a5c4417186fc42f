import type { OperationResponse, UsiOperation, UsiServiceVersion } from '@usi/contract';
import type { HttpResponse } from '../http/http-transport';
import { parseUsiResponse } from './usi-response.parser';

/**
 * Turns a USI reply into the contract's JSON shape, or throws the client's error for it (a fault, an unreadable
 * body). The client reads each reply through one; the default reads it on the caller's thread.
 */
export interface UsiResponseReader {
  read<O extends UsiOperation>(op: O, res: HttpResponse, endpoint: string, version: UsiServiceVersion): Promise<OperationResponse<O>>;
  close?(): Promise<void>;
}

/** Reads on the calling thread: a 500-row BulkVerifyUSI answer holds the event loop for ~30 ms. */
export const inlineResponseReader: UsiResponseReader = {
  read: async (op, res, endpoint, version) => parseUsiResponse(op, res, endpoint, version),
};
