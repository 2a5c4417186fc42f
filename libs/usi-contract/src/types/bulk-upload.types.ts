import type { Application, ApplicationResponse } from './application.types';

export interface BulkUploadRequest {
  orgCode: string;
  requestId: string;
  noOfApplications: number;
  applications: Application[];
}

export interface BulkUploadResponse {
  /** 36-character GUID to poll with BulkUploadRetrieve. */
  receiptNumber: string;
}

/** The only request without an OrgCode. */
export interface BulkUploadRetrieveRequest {
  receiptNumber: string;
}

export interface BulkUploadRetrieveResponse {
  requestId: string;
  noOfApplications: number;
  noOfApplicationsFailed: number;
  applications: ApplicationResponse[];
}
