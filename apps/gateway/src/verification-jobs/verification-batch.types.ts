import type { VerificationResponse } from '@usi/contract';

/** The sealed result of a BulkVerifyUSI batch: the registry's answer per row, or why the batch was not answered. */
export type BatchResult = { responses: VerificationResponse[] } | { errorCode: string };
