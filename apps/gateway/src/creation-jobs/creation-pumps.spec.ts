import { DOMParser } from '@xmldom/xmldom';
import { decodeErrorInfo, encodeErrorInfo, ErrorInfo, requestIdReusedMessage, stillProcessingMessage } from '@usi/contract';
import { UsiClientError } from '@usi/client';
import { AppError } from '../common/errors/app-error';
import { mapUpstreamError } from '../upstream/upstream-error.mapper';
import { stillProcessing, uploadCodeOf } from './creation-pumps.service';

/** A registry fault as the gateway's pumps receive it: ErrorInfo on the wire → the client's `usi.fault` → the mapped problem. */
function asReceived(errors: ErrorInfo[]): unknown {
  const detail = new DOMParser().parseFromString(encodeErrorInfo(errors), 'text/xml').documentElement!;
  const fault = new UsiClientError('usi.fault', 'USI service fault', { errors: decodeErrorInfo(detail) });
  return mapUpstreamError(fault, { guidance: { vendorAbn: '11000002568', softwareId: '', steps: [] } });
}

const RECEIPT = '0b7c2f4e-3d5a-4c1b-9e8f-6a7b8c9d0e1f';
const GENERIC = (message: string): ErrorInfo => ({ code: 1002, title: 'Generic Validation', message });

describe('CreationPumps: "still being processed" (poll again later) versus a failed poll', () => {
  it("recognises the registry's (and the simulator's) Generic Validation fault with the not-processed-yet text", () => {
    const early = asReceived([GENERIC(stillProcessingMessage(RECEIPT))]);
    expect(early).toBeInstanceOf(AppError);
    expect((early as AppError).code).toBe('usi.validation');
    expect(stillProcessing(early)).toBe(true);
    // The wording's case is not part of the signal.
    expect(stillProcessing(asReceived([GENERIC(stillProcessingMessage(RECEIPT).toUpperCase())]))).toBe(true);
  });

  it('is a failure for any other fault, and for the same words under another code or from the gateway itself', () => {
    expect(stillProcessing(asReceived([GENERIC(`Receipt number ${RECEIPT} could not be found.`)]))).toBe(false);
    const words = 'The bulk upload with receipt number x is still being processed. Please try again later.';
    expect(stillProcessing(asReceived([{ code: 1001, title: 'Service Unavailable', message: words }]))).toBe(false);
    expect(stillProcessing(asReceived([{ code: 2002, title: 'Organisation Failed Authorisation', message: words }]))).toBe(false);
    expect(stillProcessing(new AppError('idempotency.in_progress', 'A request with this Idempotency-Key is still being processed'))).toBe(false);
    expect(stillProcessing(new AppError('usi.validation', words))).toBe(false); // no ErrorInfo behind it
    expect(stillProcessing(new Error(words))).toBe(false);
  });
});

describe('CreationPumps: an upload refused for its reused RequestId (accepted once, receipt unknown)', () => {
  it('ends the batch as creation_job.upload_unconfirmed only for that Generic Validation fault', () => {
    expect(uploadCodeOf(asReceived([GENERIC(requestIdReusedMessage('cj-1-2'))]))).toBe('creation_job.upload_unconfirmed');
    const words = requestIdReusedMessage('cj-1-2');
    expect(uploadCodeOf(asReceived([{ code: 2002, title: 'Organisation Failed Authorisation', message: words }]))).toBe('usi.organisation_not_authorised');
    expect(uploadCodeOf(new AppError('usi.validation', words))).toBe('usi.validation'); // no ErrorInfo behind it
    expect(uploadCodeOf(asReceived([GENERIC('Date of birth is invalid.')]))).toBe('usi.validation');
    expect(uploadCodeOf(new Error(words))).toBe('internal.error');
  });
});
