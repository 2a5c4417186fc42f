import type { BulkUploadRequest, BulkUploadResponse, BulkUploadRetrieveRequest, BulkUploadRetrieveResponse } from '../types/bulk-upload.types';
import type { BulkVerifyUsiRequest, BulkVerifyUsiResponse } from '../types/bulk-verify-usi.types';
import type { CreateUsiRequest, CreateUsiResponse } from '../types/create-usi.types';
import type { LocateUsiRequest, LocateUsiResponse } from '../types/locate-usi.types';
import type {
  GetCountriesRequest,
  GetCountriesResponse,
  GetNonDvsDocumentTypesRequest,
  GetNonDvsDocumentTypesResponse,
} from '../types/reference-data.types';
import type {
  UpdateUsiContactDetailsRequest,
  UpdateUsiContactDetailsResponse,
  UpdateUsiPersonalDetailsRequest,
  UpdateUsiPersonalDetailsResponse,
} from '../types/update-usi.types';
import type { VerifyUsiRequest, VerifyUsiResponse } from '../types/verify-usi.types';

export const USI_OPERATIONS = [
  'VerifyUSI',
  'BulkVerifyUSI',
  'CreateUSI',
  'BulkUpload',
  'BulkUploadRetrieve',
  'LocateUSI',
  'UpdateUSIPersonalDetails',
  'UpdateUSIContactDetails',
  'GetNonDvsDocumentTypes',
  'GetCountries',
] as const;

export type UsiOperation = (typeof USI_OPERATIONS)[number];

export interface UsiOperationMap {
  VerifyUSI: { request: VerifyUsiRequest; response: VerifyUsiResponse };
  BulkVerifyUSI: { request: BulkVerifyUsiRequest; response: BulkVerifyUsiResponse };
  CreateUSI: { request: CreateUsiRequest; response: CreateUsiResponse };
  BulkUpload: { request: BulkUploadRequest; response: BulkUploadResponse };
  BulkUploadRetrieve: { request: BulkUploadRetrieveRequest; response: BulkUploadRetrieveResponse };
  LocateUSI: { request: LocateUsiRequest; response: LocateUsiResponse };
  UpdateUSIPersonalDetails: { request: UpdateUsiPersonalDetailsRequest; response: UpdateUsiPersonalDetailsResponse };
  UpdateUSIContactDetails: { request: UpdateUsiContactDetailsRequest; response: UpdateUsiContactDetailsResponse };
  GetNonDvsDocumentTypes: { request: GetNonDvsDocumentTypesRequest; response: GetNonDvsDocumentTypesResponse };
  GetCountries: { request: GetCountriesRequest; response: GetCountriesResponse };
}

export type OperationRequest<O extends UsiOperation> = UsiOperationMap[O]['request'];
export type OperationResponse<O extends UsiOperation> = UsiOperationMap[O]['response'];

export function isUsiOperation(value: unknown): value is UsiOperation {
  return typeof value === 'string' && (USI_OPERATIONS as readonly string[]).includes(value);
}
