import { randomUUID } from 'node:crypto';
import { stillProcessingMessage, type ApplicationResponse, type BulkUploadRequest, type BulkUploadRetrieveResponse } from '@usi/contract';
import { PersonStore } from '../person.store';
import { RequestLedger } from '../request-ledger';
import { validationFault } from '../usi-fault';
import { processApplication } from './application.operation';

interface Submission {
  orgCode: string;
  request: BulkUploadRequest;
  submittedAt: number;
  /** Computed once, at the first retrieve after the batch became ready, so later polls see the same answer. */
  results?: BulkUploadRetrieveResponse;
}

/** Asynchronous bulk create: a receipt now, the per-application results once `readyAfterMs` has passed. */
export class BulkUploads {
  private readonly submissions = new Map<string, Submission>();
  private readonly ledger = new RequestLedger<BulkUploadRequest, string>();

  constructor(
    private readonly people: PersonStore,
    private readonly clock: () => Date,
    private readonly readyAfterMs: number,
  ) {}

  /** `request` has passed validateRequest (≤ 500 applications, unique ApplicationIds). */
  submit(orgCode: string, request: BulkUploadRequest): string {
    return this.ledger.once(orgCode, request.requestId, request, () => {
      const receipt = randomUUID();
      this.submissions.set(receipt, { orgCode: orgCode.toUpperCase(), request: structuredClone(request), submittedAt: this.clock().getTime() });
      return receipt;
    });
  }

  owner(receiptNumber: string): string | undefined {
    return this.submissions.get(receiptNumber.toLowerCase())?.orgCode;
  }

  /** A receipt of another organisation than `requesterOrgCode` is reported as unknown, so it cannot be probed. */
  retrieve(receiptNumber: string, requesterOrgCode?: string): BulkUploadRetrieveResponse {
    const submission = this.submissions.get(receiptNumber.toLowerCase());
    if (!submission || (requesterOrgCode !== undefined && submission.orgCode !== requesterOrgCode.toUpperCase())) throw validationFault(`Receipt number ${receiptNumber} could not be found.`);
    const readyAt = submission.submittedAt + this.readyAfterMs;
    if (this.clock().getTime() < readyAt) {
      throw validationFault(stillProcessingMessage(receiptNumber));
    }
    submission.results ??= this.process(submission.request, new Date(readyAt));
    return submission.results;
  }

  private process(request: BulkUploadRequest, processedAt: Date): BulkUploadRetrieveResponse {
    const applications: ApplicationResponse[] = request.applications.map((app) =>
      processApplication(this.people, app, processedAt),
    );
    return {
      requestId: request.requestId,
      noOfApplications: applications.length,
      noOfApplicationsFailed: applications.filter((a) => a.result === 'Failure').length,
      applications,
    };
  }
}
