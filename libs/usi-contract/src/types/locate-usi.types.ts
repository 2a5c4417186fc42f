import type { PartialContactDetails, PersonalDetailsLocate, ResponseError } from './common.types';
import type { LocateResult } from './enums';

export interface LocateUsiRequest {
  orgCode: string;
  userReference: string;
  personalDetails: PersonalDetailsLocate;
  contactDetails: PartialContactDetails;
}

export interface LocateUsiResponse {
  result: LocateResult;
  /** Required by the XSD even for NoMatch; what the registry sends then is unverified. */
  usi: string;
  contactDetailsMessage: string;
  errors?: ResponseError[];
}
