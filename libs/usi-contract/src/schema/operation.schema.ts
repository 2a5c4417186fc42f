import type { UsiOperation } from '../operations/usi-operation';
import {
  APPLICATION_RESULTS,
  IDENTITY_DOCUMENT_VERIFIED,
  LOCATE_RESULTS,
  MATCH_RESULTS,
  PERSONAL_DETAILS_MODIFIERS,
  UPDATE_RESULTS,
  USI_STATUSES,
} from '../types/enums';
import {
  APPLICATION_ID,
  CONTACT_DETAILS,
  DVS_DOCUMENT,
  ERRORS,
  NAME,
  NAME_CHOICE,
  NON_DVS_DOCUMENT_TYPE_OTHER,
  ORG_CODE,
  PARTIAL_CONTACT_DETAILS,
  PERSONAL_DETAILS,
  PERSONAL_DETAILS_LOCATE,
  PERSONAL_DETAILS_UPDATE,
  RECEIPT_NUMBER,
  REQUEST_ID,
  USER_REFERENCE,
} from './common.schema';
import {
  BOOLEAN,
  DATE_OF_BIRTH,
  DATE_TIME,
  INT,
  USI,
  el,
  enumOf,
  list,
  obj,
  opt,
  str,
  type FieldSpec,
  type ObjectSpec,
  type ScalarSpec,
} from './field-spec';

const MAX_BATCH = 500;
const BATCH_COUNT: ScalarSpec = { kind: 'int', maxInclusive: MAX_BATCH };
const MATCH = enumOf(MATCH_RESULTS);
const ORG = el('OrgCode', ORG_CODE);

const APPLICATION = obj([
  el('ApplicationId', APPLICATION_ID),
  el('DVSCheckRequired', BOOLEAN),
  el('UserReference', USER_REFERENCE),
  el('ContactDetails', CONTACT_DETAILS),
  el('PersonalDetails', PERSONAL_DETAILS),
  opt('DVSDocument', DVS_DOCUMENT),
  opt('NonDvsDocumentTypeId', INT, { nillable: true }),
  opt('NonDvsDocumentTypeOther', NON_DVS_DOCUMENT_TYPE_OTHER, { nillable: true }),
]);

const APPLICATION_RESPONSE = obj([
  el('ProcessedDate', DATE_TIME),
  el('ApplicationId', APPLICATION_ID),
  el('Result', enumOf(APPLICATION_RESULTS)),
  el('IdentityDocumentVerified', enumOf(IDENTITY_DOCUMENT_VERIFIED)),
  opt('USI', USI),
  ERRORS,
]);

const NAME_FIELDS = [opt('FirstName', NAME), opt('FamilyName', NAME), opt('SingleName', NAME)];

const MATCH_FIELDS: FieldSpec[] = [
  el('USIStatus', enumOf(USI_STATUSES)),
  opt('FirstName', MATCH),
  opt('FamilyName', MATCH),
  opt('SingleName', MATCH),
  opt('DateOfBirth', MATCH),
];

/** Response choices have only optional members, so the rule only forbids mixing the two branches. */
const MATCH_CHOICE = {
  kind: 'choice',
  code: 'name_choice',
  optional: true,
  branches: [
    { members: ['firstName', 'familyName'], required: [] },
    { members: ['singleName'], required: [] },
  ],
} as const;

export interface OperationSchema {
  request: ObjectSpec;
  response: ObjectSpec;
}

/** Request/response root types (`<Op>Type` / `<Op>ResponseType`) of every v5 operation. */
export const OPERATION_SCHEMAS: Readonly<Record<UsiOperation, OperationSchema>> = {
  VerifyUSI: {
    request: obj([ORG, el('USI', USI), ...NAME_FIELDS, el('DateOfBirth', DATE_OF_BIRTH)], [NAME_CHOICE]),
    response: obj(MATCH_FIELDS, [MATCH_CHOICE]),
  },
  BulkVerifyUSI: {
    request: obj(
      [
        ORG,
        el('NoOfVerifications', BATCH_COUNT),
        list(
          'Verifications',
          'Verification',
          obj([el('RecordId', INT), el('USI', USI), ...NAME_FIELDS, el('DateOfBirth', DATE_OF_BIRTH)], [NAME_CHOICE]),
          { minOccurs: 1, maxOccurs: MAX_BATCH, unique: { key: 'recordId', code: 'duplicate_record_id' } },
        ),
      ],
      [{ kind: 'count', count: 'noOfVerifications', list: 'verifications' }],
    ),
    response: obj([
      list(
        'VerificationResponses',
        'VerificationResponse',
        obj([...MATCH_FIELDS, el('USI', USI), el('RecordId', INT)], [MATCH_CHOICE]),
        { minOccurs: 1, maxOccurs: MAX_BATCH },
      ),
    ]),
  },
  CreateUSI: {
    request: obj([el('RequestId', REQUEST_ID), ORG, el('Application', APPLICATION)]),
    response: obj([el('Application', APPLICATION_RESPONSE)]),
  },
  BulkUpload: {
    request: obj(
      [
        ORG,
        el('RequestId', REQUEST_ID),
        el('NoOfApplications', BATCH_COUNT),
        list('Applications', 'Application', APPLICATION, {
          minOccurs: 1,
          maxOccurs: MAX_BATCH,
          unique: { key: 'applicationId', code: 'duplicate_application_id' },
        }),
      ],
      [{ kind: 'count', count: 'noOfApplications', list: 'applications' }],
    ),
    response: obj([el('ReceiptNumber', RECEIPT_NUMBER)]),
  },
  BulkUploadRetrieve: {
    request: obj([el('ReceiptNumber', RECEIPT_NUMBER)]),
    response: obj([
      el('RequestId', REQUEST_ID),
      el('NoOfApplications', BATCH_COUNT),
      el('NoOfApplicationsFailed', BATCH_COUNT),
      list('Applications', 'Application', APPLICATION_RESPONSE, { minOccurs: 1, maxOccurs: MAX_BATCH }),
    ]),
  },
  LocateUSI: {
    request: obj([
      ORG,
      el('UserReference', USER_REFERENCE),
      el('PersonalDetails', PERSONAL_DETAILS_LOCATE),
      el('ContactDetails', PARTIAL_CONTACT_DETAILS),
    ]),
    response: obj([
      el('Result', enumOf(LOCATE_RESULTS)),
      el('USI', USI),
      el('ContactDetailsMessage', str()),
      ERRORS,
    ]),
  },
  UpdateUSIPersonalDetails: {
    request: obj([
      ORG,
      el('USI', USI),
      el('DVSCheckRequired', BOOLEAN),
      el('UserReference', USER_REFERENCE),
      el('PersonalDetailsModifier', enumOf(PERSONAL_DETAILS_MODIFIERS)),
      el('PersonalDetailsUpdate', PERSONAL_DETAILS_UPDATE),
      opt('DVSDocument', DVS_DOCUMENT),
      opt('NonDvsDocumentTypeId', INT),
      opt('NonDvsDocumentTypeOther', NON_DVS_DOCUMENT_TYPE_OTHER),
    ]),
    response: obj([
      el('Result', enumOf(UPDATE_RESULTS)),
      el('IdentityDocumentVerified', enumOf(IDENTITY_DOCUMENT_VERIFIED)),
      ERRORS,
    ]),
  },
  UpdateUSIContactDetails: {
    request: obj([
      ORG,
      el('USI', USI),
      el('UserReference', USER_REFERENCE),
      el('ContactDetailsUpdate', PARTIAL_CONTACT_DETAILS),
    ]),
    response: obj([el('Result', enumOf(UPDATE_RESULTS)), ERRORS]),
  },
  GetNonDvsDocumentTypes: {
    request: obj([ORG]),
    response: obj([
      list(
        'NonDvsDocumentTypes',
        'NonDvsDocumentType',
        obj([el('Id', INT), el('DocumentType', str()), el('SortOrder', INT)]),
        { minOccurs: 0 },
      ),
    ]),
  },
  GetCountries: {
    request: obj([ORG]),
    response: obj([
      list('Countries', 'CountryDetails', obj([el('CountryCode', str()), el('Name', str()), el('IsCurrent', BOOLEAN)]), {
        minOccurs: 0,
      }),
    ]),
  },
};
