export { ERROR_INFO_NS, USI_NS, XSI_NS } from './constants';
export { UsiError } from './errors/usi-error';
export { GENERIC_VALIDATION, isRequestIdReused, isStillProcessing, requestIdReusedMessage, stillProcessingMessage } from './errors/bulk-upload-faults';
export type { MachineCredential } from './credential/machine-credential';
export * from './operations/usi-operation';
export * from './types/enums';
export type * from './types/common.types';
export * from './types/dvs-document.types';
export type * from './types/application.types';
export type * from './types/verify-usi.types';
export type * from './types/bulk-verify-usi.types';
export type * from './types/create-usi.types';
export type * from './types/bulk-upload.types';
export type * from './types/locate-usi.types';
export type * from './types/update-usi.types';
export type * from './types/reference-data.types';
export type * from './types/error-info.types';
export type { FieldError, ValidationResult } from './validation/field-error';
export type { ValidateOptions } from './validation/validate-request';
export { validateRequest, validateRequestBody } from './validation/validate-request';
export { USI_ALPHABET, generateUsi, isValidUsi, maskUsi, usiCheckCharacter } from './checks/usi-check';
export { isValidAbn } from './checks/abn';
export { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './xml/usi-codec';
export { decodeErrorInfo, encodeErrorInfo } from './xml/error-info-codec';
export type { OperationSchemas, SchemaDelta, UsiServiceVersion } from './versions/service-version';
export {
  DEFAULT_SERVICE_VERSION,
  SERVICE_VERSIONS,
  findServiceVersion,
  schemasFor,
  serviceVersion,
  serviceVersionByNamespace,
} from './versions/service-versions';
export { V5 } from './versions/v5';
export { V6_DRAFT } from './versions/v6';
export { mapSchemaObjects, withoutElement } from './versions/schema-delta';
