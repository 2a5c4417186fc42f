import type { PartialContactDetails, PersonalDetailsUpdate, ResponseError } from './common.types';
import type { DvsDocument } from './dvs-document.types';
import type { IdentityDocumentVerified, PersonalDetailsModifier, UpdateResult } from './enums';

export interface UpdateUsiPersonalDetailsRequest {
  orgCode: string;
  usi: string;
  dvsCheckRequired: boolean;
  userReference: string;
  personalDetailsModifier: PersonalDetailsModifier;
  personalDetailsUpdate: PersonalDetailsUpdate;
  dvsDocument?: DvsDocument;
  nonDvsDocumentTypeId?: number;
  nonDvsDocumentTypeOther?: string;
}

export interface UpdateUsiPersonalDetailsResponse {
  result: UpdateResult;
  identityDocumentVerified: IdentityDocumentVerified;
  errors?: ResponseError[];
}

export interface UpdateUsiContactDetailsRequest {
  orgCode: string;
  usi: string;
  userReference: string;
  contactDetailsUpdate: PartialContactDetails;
}

export interface UpdateUsiContactDetailsResponse {
  result: UpdateResult;
  errors?: ResponseError[];
}
