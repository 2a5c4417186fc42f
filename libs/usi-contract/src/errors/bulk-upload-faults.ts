import type { ErrorInfo } from '../types/error-info.types';

/** ErrorInfo 1002 "Generic Validation": the registry's code for a request it refuses because of its content. */
export const GENERIC_VALIDATION = 1002;

/**
 * BulkUploadRetrieve asked for a receipt whose applications the registry has not processed yet. The published material
 * (the v5 WSDL/XSD, the vendors' ErrorInfo tables, usi-contract.md §4.4 and §7.3) documents no ErrorInfo code of its
 * own for this: it is a Generic Validation fault (1002), like "receipt not found" or a bad OrgCode, and only its text
 * tells it apart. The simulator says it with `stillProcessingMessage`; clients recognise it with `isStillProcessing`,
 * which checks the code first, so no other fault (and no text of another code) is taken for "poll again later".
 */
export function stillProcessingMessage(receiptNumber: string): string {
  return `The bulk upload with receipt number ${receiptNumber} is still being processed. Please try again later.`;
}

const STILL_PROCESSING = /still being processed/i;

export function isStillProcessing(info: Pick<ErrorInfo, 'code' | 'message'>): boolean {
  return info.code === GENERIC_VALIDATION && STILL_PROCESSING.test(info.message);
}

/**
 * BulkUpload sent again under a RequestId the organisation already used for a different request: also a Generic
 * Validation fault told apart by its text only. For an upload resent after its answer was lost, it means the
 * applications were accepted once and their receipt is unknown.
 */
export function requestIdReusedMessage(requestId: string): string {
  return `RequestId ${requestId} has already been used by this organisation for a different request.`;
}

const REQUEST_ID_REUSED = /RequestId .* already been used/i;

export function isRequestIdReused(info: Pick<ErrorInfo, 'code' | 'message'>): boolean {
  return info.code === GENERIC_VALIDATION && REQUEST_ID_REUSED.test(info.message);
}
