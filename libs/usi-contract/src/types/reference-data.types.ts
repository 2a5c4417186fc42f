export interface GetNonDvsDocumentTypesRequest {
  orgCode: string;
}

export interface NonDvsDocumentType {
  /** Goes into `nonDvsDocumentTypeId` of an application. */
  id: number;
  documentType: string;
  sortOrder: number;
}

export interface GetNonDvsDocumentTypesResponse {
  nonDvsDocumentTypes: NonDvsDocumentType[];
}

export interface GetCountriesRequest {
  orgCode: string;
}

export interface CountryDetails {
  countryCode: string;
  name: string;
  isCurrent: boolean;
}

export interface GetCountriesResponse {
  countries: CountryDetails[];
}
