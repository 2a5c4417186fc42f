/**
 * XSD enumerations, spelled exactly as the schema does. The arrays drive the validator and the codec; the types are
 * derived from them so the two cannot drift apart.
 */
export const GENDERS = ['M', 'F', 'X'] as const;
export type Gender = (typeof GENDERS)[number];

export const STATES = ['NSW', 'VIC', 'QLD', 'SA', 'WA', 'TAS', 'NT', 'ACT'] as const;
export type State = (typeof STATES)[number];

export const MATCH_RESULTS = ['Match', 'NoMatch'] as const;
export type MatchResult = (typeof MATCH_RESULTS)[number];

export const USI_STATUSES = ['Valid', 'Invalid', 'Deactivated'] as const;
export type UsiStatus = (typeof USI_STATUSES)[number];

export const APPLICATION_RESULTS = ['Success', 'Failure', 'MatchFound'] as const;
export type ApplicationResult = (typeof APPLICATION_RESULTS)[number];

export const UPDATE_RESULTS = ['Success', 'Failure'] as const;
export type UpdateResult = (typeof UPDATE_RESULTS)[number];

export const IDENTITY_DOCUMENT_VERIFIED = ['True', 'False', 'NotRequired'] as const;
export type IdentityDocumentVerified = (typeof IDENTITY_DOCUMENT_VERIFIED)[number];

export const LOCATE_RESULTS = [
  'Exact',
  'MultipleExact',
  'SingleNoContactMatch',
  'MultipleNoContactMatch',
  'NoMatch',
  'NoIdenticalStrongPartial',
] as const;
export type LocateResult = (typeof LOCATE_RESULTS)[number];

export const PERSONAL_DETAILS_MODIFIERS = [
  'FirstName',
  'MiddleName',
  'FamilyName',
  'SingleName',
  'DateOfBirth',
  'CountryOfBirth',
  'TownCityOfBirth',
  'Gender',
  'PreferredFirstName',
  'PreferredFamilyName',
  'PreferredSingleName',
] as const;
export type PersonalDetailsModifier = (typeof PERSONAL_DETAILS_MODIFIERS)[number];

export const MEDICARE_CARD_COLOURS = ['Green', 'Blue', 'Yellow'] as const;
export type MedicareCardColour = (typeof MEDICARE_CARD_COLOURS)[number];

export const CENTRELINK_CARD_TYPES = ['PCC', 'HCC', 'SHC'] as const;
export type CentrelinkCardKind = (typeof CENTRELINK_CARD_TYPES)[number];
