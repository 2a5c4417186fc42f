import type { VerificationResponse } from '@usi/contract';
import type { VendorId } from '../database/vendor-id';

export type JobState = 'validating' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export const ENDED_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export interface VerificationJobRow {
  id: string;
  vendorId: VendorId;
  organisationId: string;
  orgCode: string;
  environment: string;
  state: JobState;
  totalRows: number;
  willSend: number;
  cannotSend: number;
  answered: number;
  failedRows: number;
  outcomeCounts: Record<string, number>;
  batchesTotal: number;
  batchesDone: number;
  errorCode: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  dataDeletedAt: Date | null;
}

/** A batch as claimed for sending: its input still sealed. */
export interface ClaimedBatch {
  jobId: string;
  batchNo: number;
  vendorId: VendorId;
  orgCode: string;
  attempts: number;
  input: unknown;
}

/** One row of the sealed batch input: the registry sees `row` as RecordId; the caller's `recordId` stays here. */
export interface BatchInputRow {
  row: number;
  recordId: string;
  verification: Record<string, unknown>;
}

/** The sealed batch result: the registry's answer per row, or why the batch was not answered. */
export type BatchResult = { responses: VerificationResponse[] } | { errorCode: string };
