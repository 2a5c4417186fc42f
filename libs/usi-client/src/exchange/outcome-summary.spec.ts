import { USI_OPERATIONS } from '@usi/contract';
import { SAMPLE_REQUESTS, SAMPLE_RESPONSES } from '../../../usi-contract/src/testing/sample-messages';
import { summariseOutcome } from './outcome-summary';

const application = { processedDate: '2026-03-01T10:00:00', applicationId: 'a1', identityDocumentVerified: 'True' as const };

describe('summariseOutcome', () => {
  it('VerifyUSI: status and whether every checked field matched', () => {
    expect(summariseOutcome('VerifyUSI', { usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' })).toEqual({
      usiStatus: 'Valid',
      result: 'Match',
    });
    expect(summariseOutcome('VerifyUSI', { usiStatus: 'Valid', singleName: 'Match', dateOfBirth: 'NoMatch' })).toEqual({
      usiStatus: 'Valid',
      result: 'NoMatch',
    });
    expect(summariseOutcome('VerifyUSI', { usiStatus: 'Invalid' })).toEqual({ usiStatus: 'Invalid', result: undefined });
  });

  it('BulkVerifyUSI: per-record counts by status and match', () => {
    const v = (usiStatus: 'Valid' | 'Invalid' | 'Deactivated', match?: 'Match' | 'NoMatch') => ({
      usiStatus,
      usi: 'BNGH7C75FN',
      recordId: 1,
      ...(match ? { firstName: 'Match' as const, dateOfBirth: match } : {}),
    });
    const summary = summariseOutcome('BulkVerifyUSI', {
      verificationResponses: [v('Valid', 'Match'), v('Valid', 'NoMatch'), v('Valid', 'Match'), v('Invalid'), v('Deactivated')],
    });
    expect(summary).toEqual({ counts: { total: 5, valid: 3, invalid: 1, deactivated: 1, match: 2, nomatch: 1 } });
  });

  it('CreateUSI: result, document verification and the number of errors', () => {
    expect(summariseOutcome('CreateUSI', { application: { ...application, result: 'Success', usi: 'BNGH7C75FN' } })).toEqual({
      result: 'Success',
      identityDocumentVerified: 'True',
    });
    const failed = summariseOutcome('CreateUSI', {
      application: { ...application, result: 'Failure', identityDocumentVerified: 'False', errors: [{ code: 'E1', message: 'x' }, { code: 'E2', message: 'y' }] },
    });
    expect(failed).toEqual({ result: 'Failure', identityDocumentVerified: 'False', errorCount: 2 });
  });

  it('BulkUpload: the receipt; BulkUploadRetrieve: created, matched and failed counts', () => {
    expect(summariseOutcome('BulkUpload', { receiptNumber: 'r-1' })).toEqual({ receiptNumber: 'r-1' });
    const retrieve = summariseOutcome('BulkUploadRetrieve', {
      requestId: 'q',
      noOfApplications: 4,
      noOfApplicationsFailed: 1,
      applications: [
        { ...application, result: 'Success' },
        { ...application, result: 'Success' },
        { ...application, result: 'MatchFound' },
        { ...application, result: 'Failure' },
      ],
    });
    expect(retrieve).toEqual({ counts: { total: 4, created: 2, match: 1, failed: 1 } });
  });

  it('LocateUSI and the updates: their Result enumerations', () => {
    expect(summariseOutcome('LocateUSI', { result: 'MultipleExact', usi: 'BNGH7C75FN', contactDetailsMessage: 'Send to a***@x' })).toEqual({
      result: 'MultipleExact',
    });
    expect(summariseOutcome('UpdateUSIPersonalDetails', { result: 'Success', identityDocumentVerified: 'NotRequired' })).toEqual({
      result: 'Success',
      identityDocumentVerified: 'NotRequired',
    });
    expect(summariseOutcome('UpdateUSIContactDetails', { result: 'Failure', errors: [{ code: 'E3', message: 'z' }] })).toEqual({
      result: 'Failure',
      errorCount: 1,
    });
  });

  it('reference data: how many entries came back', () => {
    expect(summariseOutcome('GetCountries', { countries: [{ countryCode: '1101', name: 'Australia', isCurrent: true }] })).toEqual({
      counts: { total: 1 },
    });
    expect(summariseOutcome('GetNonDvsDocumentTypes', { nonDvsDocumentTypes: [] })).toEqual({ counts: { total: 0 } });
  });

  it.each(USI_OPERATIONS)('%s: no personal value of the sample request or response reaches the summary', (op) => {
    const summary = JSON.stringify(summariseOutcome(op, SAMPLE_RESPONSES[op] as never));
    const personal = new Set<string>();
    const collect = (v: unknown, key = ''): void => {
      if (typeof v === 'string' && !/^(orgCode|requestId|receiptNumber|applicationId|processedDate|code)$/.test(key) && v.length > 2) {
        if (!/^(Valid|Invalid|Deactivated|Match|NoMatch|Success|Failure|MatchFound|True|False|NotRequired|Exact)$/.test(v)) personal.add(v);
      } else if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) collect(child, k);
    };
    collect(SAMPLE_REQUESTS[op]);
    collect(SAMPLE_RESPONSES[op]);
    for (const value of personal) expect(summary).not.toContain(value);
  });
});
