import type { VendorId } from '../database/vendor-id';

export type JobState = 'validating' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export const ENDED_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

/** A bulk job (verification or creation) as stored: its counts stay after its inputs and results are deleted. */
export interface JobRow {
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
