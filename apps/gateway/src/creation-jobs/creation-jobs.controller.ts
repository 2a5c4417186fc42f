import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScopes } from '../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../common/auth/current-principal.decorator';
import { AppError } from '../common/errors/app-error';
import { AcceptsMediaTypes } from '../common/http/request-media-type';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { Principal } from '../common/request-context/principal';
import { VendorId } from '../database/vendor-id';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { writeJobResults } from '../jobs/job-results.writer';
import type { JobUpload } from '../jobs/job-upload.middleware';
import { RateLimited } from '../rate-limit/rate-limited.decorator';
import { UsiRequestScope } from '../usi/http/usi-request-scope';
import { CreationJobsService, CreationResultRow } from './creation-jobs.service';

const OPERATION = { operation: 'CreationJob' };
const RESULT_COLUMNS: (keyof CreationResultRow)[] = ['row', 'recordId', 'outcome', 'result', 'usi', 'identityDocumentVerified', 'reason'];
const EXAMPLE_JSON = [
  {
    recordId: 'enrolment-0001',
    dvsCheckRequired: true,
    userReference: 'enrolment-0001',
    personalDetails: { gender: 'F', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25', countryOfBirthCode: '1101', townCityOfBirth: 'Canberra' },
    contactDetails: { countryOfResidenceCode: '1101', emailAddress: 'student@example.com.au' },
    dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111' },
  },
];
const JOB_EXAMPLE = {
  id: '6d1f0c3a-2b4e-4f7a-8c9d-1e2f3a4b5c6d',
  orgCode: 'VA1802',
  state: 'running',
  dryRun: false,
  counts: { total: 800, willSend: 799, cannotSend: 1, answered: 500, failed: 0, byResult: { Success: 480, MatchFound: 15, Failure: 5 } },
  batches: { total: 2, done: 1 },
  progress: 0.5,
  etaSeconds: 6,
  links: { self: '/v1/organisations/VA1802/creation-jobs/6d1f…', results: '/v1/organisations/VA1802/creation-jobs/6d1f…/results' },
};
const UPLOAD_DESCRIPTION =
  'Up to 100,000 USI applications, each with your own `recordId` (unique in the job): a JSON array or NDJSON of ' +
  'applications as CreateUSI takes them (without `applicationId`, which the gateway sets), or CSV with a header row whose ' +
  'columns are the application fields by dotted path (`personalDetails.firstName`, `contactDetails.emailAddress`, ' +
  '`dvsDocument.documentType`, `dvsDocument.documentNumber`, …). Every row is checked first and sorted into will send / ' +
  'cannot send (with the reasons); `dryRun=true` returns only that check. The rest is sent as BulkUpload calls of at most ' +
  '500, each followed by BulkUploadRetrieve, polled with backoff until the registry has the results. An upload is never ' +
  'repeated: its receipt is stored before the first poll. Inputs and results are stored encrypted and deleted ' +
  'JOB_RETENTION_DAYS (default 7) after the job ends.';

@ApiTags('creation-jobs')
@RateLimited()
@RequireScopes('usi:write')
@Controller('v1/organisations/:orgCode/creation-jobs')
export class CreationJobsController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly jobs: CreationJobsService,
  ) {}

  @Post()
  @HttpCode(202)
  @Idempotent()
  @AcceptsMediaTypes('application/json', 'application/x-ndjson', 'text/csv', 'multipart/form-data')
  @ApiOperation({ summary: 'Start a bulk USI creation job (or only check its applications with dryRun=true)', description: UPLOAD_DESCRIPTION })
  @ApiQuery({ name: 'dryRun', required: false, schema: { type: 'boolean' } })
  @ApiBody({ schema: { type: 'array', items: { type: 'object' }, example: EXAMPLE_JSON } })
  @ApiResponse({ status: 202, schema: { example: { job: JOB_EXAMPLE, cannotSend: [{ row: 3, recordId: 'enrolment-0003', reasons: ['personalDetails.dateOfBirth: date_in_future'] }] } } })
  @ApiProblems('creation_job.invalid_input', 'request.payload_too_large', 'organisation.not_found', 'authorisation.not_active')
  async create(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Query('dryRun') dryRun: string | undefined,
    @Body() upload: JobUpload | undefined,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, OPERATION);
    if (typeof upload?.text !== 'string') throw new AppError('creation_job.invalid_input', 'The upload is empty');
    const checkOnly = dryRun === 'true' || dryRun === '1';
    const { job, rejected } = await this.jobs.create(target, upload.text, upload.format, checkOnly);
    return { job, cannotSend: rejected };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A creation job: state, counts per registry result, progress, ETA' })
  @ApiOkResponse({ schema: { example: JOB_EXAMPLE } })
  @ApiProblems('creation_job.not_found')
  async get(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @Param('id') id: string) {
    return this.jobs.get(await this.scope.active(principal, vendorId, orgCode, OPERATION), id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a creation job: batches not yet uploaded are not uploaded; uploaded ones are still polled, so the USIs the registry created are reported' })
  @ApiOkResponse({ schema: { example: { ...JOB_EXAMPLE, state: 'cancelled' } } })
  @ApiProblems('creation_job.not_found', 'creation_job.not_cancellable')
  async cancel(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @Param('id') id: string) {
    return this.jobs.cancel(await this.scope.active(principal, vendorId, orgCode, OPERATION), id);
  }

  @Get(':id/results')
  @ApiOperation({ summary: 'The results, one row per input row (streamed): row, recordId, outcome, the registry’s result and USI, or why not sent' })
  @ApiQuery({ name: 'format', required: false, schema: { type: 'string', enum: ['json', 'csv'] } })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ schema: { example: [{ row: 1, recordId: 'enrolment-0001', outcome: 'answered', result: 'Success', usi: 'BNGH7C75FN', identityDocumentVerified: 'True', reason: null }] } })
  @ApiProblems('creation_job.not_found', 'creation_job.results_deleted')
  async results(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const target = await this.scope.active(principal, vendorId, orgCode, OPERATION);
    await writeJobResults(res, this.jobs.results(target, id), RESULT_COLUMNS, format);
  }
}
