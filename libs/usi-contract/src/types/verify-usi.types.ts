import type { PersonName } from './common.types';
import type { MatchResult, UsiStatus } from './enums';

export type VerifyUsiRequest = { orgCode: string; usi: string; dateOfBirth: string } & PersonName;

/** A USI is verified only when `usiStatus` is Valid and every returned match field is Match. */
export interface VerifyUsiResponse {
  usiStatus: UsiStatus;
  firstName?: MatchResult;
  familyName?: MatchResult;
  singleName?: MatchResult;
  dateOfBirth?: MatchResult;
}
