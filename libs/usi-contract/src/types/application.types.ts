import type { ContactDetails, PersonalDetails, ResponseError } from './common.types';
import type { DvsDocument } from './dvs-document.types';
import type { ApplicationResult, IdentityDocumentVerified } from './enums';

/** ApplicationType, shared by CreateUSI and BulkUpload. */
export interface Application {
  applicationId: string;
  dvsCheckRequired: boolean;
  userReference: string;
  contactDetails: ContactDetails;
  personalDetails: PersonalDetails;
  dvsDocument?: DvsDocument;
  /** nillable in the XSD: `null` is sent as `xsi:nil="true"`. */
  nonDvsDocumentTypeId?: number | null;
  nonDvsDocumentTypeOther?: string | null;
}

/** ApplicationResponseType, shared by CreateUSI and BulkUploadRetrieve. */
export interface ApplicationResponse {
  /** xs:dateTime as sent by the registry. */
  processedDate: string;
  applicationId: string;
  result: ApplicationResult;
  identityDocumentVerified: IdentityDocumentVerified;
  usi?: string;
  errors?: ResponseError[];
}
