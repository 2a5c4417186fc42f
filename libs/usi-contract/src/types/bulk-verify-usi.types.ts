import type { PersonName } from './common.types';
import type { VerifyUsiResponse } from './verify-usi.types';

export type Verification = { recordId: number; usi: string; dateOfBirth: string } & PersonName;

export interface BulkVerifyUsiRequest {
  orgCode: string;
  noOfVerifications: number;
  verifications: Verification[];
}

export interface VerificationResponse extends VerifyUsiResponse {
  usi: string;
  recordId: number;
}

export interface BulkVerifyUsiResponse {
  verificationResponses: VerificationResponse[];
}
