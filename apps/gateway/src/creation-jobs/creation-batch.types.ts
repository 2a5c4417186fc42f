import type { ApplicationResponse } from '@usi/contract';

/**
 * The sealed result of a BulkUpload batch: the registry's answer per application (`applicationId` is the row number),
 * or why the batch was not answered. Holds the created USIs, so it is sealed like the input.
 */
export type CreationBatchResult = { applications: ApplicationResponse[] } | { errorCode: string };
