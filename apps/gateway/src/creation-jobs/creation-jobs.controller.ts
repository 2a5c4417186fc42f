import { Body, Controller, Delete, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScopes } from '../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../common/auth/current-principal.decorator';
import { AppError } from '../common/errors/app-error';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { PageQuery, pageQuerySchema } from '../common/pagination/cursor';
import { Principal } from '../common/request-context/principal';
import { ZodQuery } from '../common/validation/zod-body.decorator';
import { VendorId } from '../database/vendor-id';
import { writeJobResults } from '../jobs/job-results.writer';
import { jobExampleController } from '../jobs/job-example.controller';
import { JobListRoute, JobResultsRoute, JobUploadRoute } from '../jobs/job-routes.decorators';
import { jobViewExample } from '../jobs/job-view.example';
import type { JobUpload } from '../jobs/job-upload.middleware';
import { RateLimited } from '../rate-limit/rate-limited.decorator';
import { UsiRequestScope } from '../usi/http/usi-request-scope';
import { CreationJobsService, CreationResultRow } from './creation-jobs.service';
import { CREATION_EXAMPLE_CSV } from './creation-job.example';

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
const JOB_EXAMPLE = jobViewExample('creation-jobs', {
  total: 1500, willSend: 1499, cannotSend: 1, answered: 500, failed: 0, byResult: { Success: 480, MatchFound: 15, Failure: 5 },
});
const UPLOAD_DESCRIPTION =
  'Up to 100,000 USI applications, each with your own `recordId` (unique in the job): a JSON array or NDJSON of ' +
  'applications as CreateUSI takes them (without `applicationId`, which the gateway sets), or CSV with a header row whose ' +
  'columns are the application fields by dotted path (`personalDetails.firstName`, `contactDetails.emailAddress`, ' +
  '`dvsDocument.documentType`, `dvsDocument.documentNumber`, …; an example with a row for every identity document type at ' +
  '`/docs/creation-jobs/example.csv`). Every row is checked first and sorted into will send / ' +
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

  @JobUploadRoute('Start a bulk USI creation job (or only check its applications with dryRun=true)', UPLOAD_DESCRIPTION)
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

  @JobListRoute("The organisation's creation jobs, newest first", JOB_EXAMPLE)
  async list(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @ZodQuery(pageQuerySchema) page: PageQuery) {
    return this.jobs.list(await this.scope.active(principal, vendorId, orgCode, OPERATION), page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A creation job: state, counts per registry result, progress, ETA', description: 'Poll it (or subscribe to the `creation_job.completed` webhook) to know when the created USIs can be read.' })
  @ApiOkResponse({ schema: { example: JOB_EXAMPLE } })
  @ApiProblems('creation_job.not_found')
  async get(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @Param('id') id: string) {
    return this.jobs.get(await this.scope.active(principal, vendorId, orgCode, OPERATION), id);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Cancel a creation job: batches not yet uploaded are not uploaded; uploaded ones are still polled, so the USIs the registry created are reported',
    description: 'When a job was started by mistake or with the wrong file.',
  })
  @ApiOkResponse({ schema: { example: { ...JOB_EXAMPLE, state: 'cancelled' } } })
  @ApiProblems('creation_job.not_found', 'creation_job.not_cancellable')
  async cancel(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @Param('id') id: string) {
    return this.jobs.cancel(await this.scope.active(principal, vendorId, orgCode, OPERATION), id);
  }

  @JobResultsRoute('creation_job', 'The results, one row per input row (streamed): row, recordId, outcome, the registry’s result and USI, or why not sent', { row: 1, recordId: 'enrolment-0001', outcome: 'answered', result: 'Success', usi: 'BNGH7C75FN', identityDocumentVerified: 'True', reason: null })
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

export const CreationJobExampleController = jobExampleController('CreationJobExampleController', 'creation-job', 'An example upload for creation jobs: every column, one application per identity document type', CREATION_EXAMPLE_CSV);
