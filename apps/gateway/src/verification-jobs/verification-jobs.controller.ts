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
import { RateLimited } from '../rate-limit/rate-limited.decorator';
import { UsiRequestScope } from '../usi/http/usi-request-scope';
import type { JobUpload } from '../jobs/job-upload.middleware';
import { writeJobResults } from '../jobs/job-results.writer';
import { jobExampleController } from '../jobs/job-example.controller';
import { JobListRoute, JobResultsRoute, JobUploadRoute } from '../jobs/job-routes.decorators';
import { jobViewExample } from '../jobs/job-view.example';
import { ResultRow, VerificationJobsService } from './verification-jobs.service';
import { VERIFICATION_CSV_COLUMNS as CSV_COLUMNS } from './verification-row.validator';

const EXAMPLE_CSV = `${CSV_COLUMNS.join(',')}
student-0001,BNGH7C75FN,Maria,Nguyen,,1999-04-21
student-0002,XNY5NV9WG9,,,Amy,2002-06-07
`;
const RESULT_COLUMNS: (keyof ResultRow)[] = ['row', 'recordId', 'outcome', 'usiStatus', 'firstName', 'familyName', 'singleName', 'dateOfBirth', 'reason'];
const JOB_EXAMPLE = jobViewExample('verification-jobs', {
  total: 1200, willSend: 1198, cannotSend: 2, answered: 500, failed: 0, byUsiStatus: { Valid: 490, Invalid: 10 },
});
const UPLOAD_DESCRIPTION =
  'Up to 100,000 records, each with your own `recordId` (unique in the job): CSV with a header row (`text/csv`, or one file in ' +
  '`multipart/form-data`; columns `recordId,usi,firstName,familyName,singleName,dateOfBirth`, example at ' +
  '`/docs/verification-jobs/example.csv`), a JSON array, or NDJSON (`application/x-ndjson`). Every row is checked first ' +
  '(USI check character, name rules, date of birth) and sorted into will send / cannot send (with the reasons, in the ' +
  'answer); `dryRun=true` returns only that check. The rest is sent as BulkVerifyUSI calls of at most 500. ' +
  'Inputs and results are stored encrypted and deleted JOB_RETENTION_DAYS (default 7) after the job ends.';

@ApiTags('verification-jobs')
@RateLimited()
@RequireScopes('usi:verify')
@Controller('v1/organisations/:orgCode/verification-jobs')
export class VerificationJobsController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly jobs: VerificationJobsService,
  ) {}

  @JobUploadRoute('Start a bulk verification job (or only check its rows with dryRun=true)', UPLOAD_DESCRIPTION)
  @ApiBody({ schema: { type: 'string', example: EXAMPLE_CSV } })
  @ApiResponse({ status: 202, schema: { example: { job: JOB_EXAMPLE, cannotSend: [{ row: 7, recordId: 'student-0007', reasons: ['usi: usi_check_character'] }] } } })
  @ApiProblems('verification_job.invalid_input', 'request.payload_too_large', 'organisation.not_found', 'authorisation.not_active')
  async create(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Query('dryRun') dryRun: string | undefined,
    @Body() body: JobUpload | undefined,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'VerificationJob' });
    if (!body || typeof body.text !== 'string') throw new AppError('verification_job.invalid_input', 'The upload is empty');
    const { job, rejected } = await this.jobs.create(target, body.text, body.format, dryRun === 'true' || dryRun === '1');
    return { job, cannotSend: rejected };
  }

  @JobListRoute("The organisation's verification jobs, newest first", JOB_EXAMPLE)
  async list(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @ZodQuery(pageQuerySchema) page: PageQuery) {
    return this.jobs.list(await this.scope.active(principal, vendorId, orgCode, { operation: 'VerificationJob' }), page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A verification job: state, counts per outcome, progress, ETA', description: 'Poll it (or subscribe to the `verification_job.completed` webhook) to know when the results are ready.' })
  @ApiOkResponse({ schema: { example: JOB_EXAMPLE } })
  @ApiProblems('verification_job.not_found')
  async get(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @Param('id') id: string) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'VerificationJob' });
    return this.jobs.get(target, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a verification job: batches not yet sent are not sent', description: 'When a job was started by mistake or with the wrong file; results of the batches already answered stay readable.' })
  @ApiOkResponse({ schema: { example: { ...JOB_EXAMPLE, state: 'cancelled' } } })
  @ApiProblems('verification_job.not_found', 'verification_job.not_cancellable')
  async cancel(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string, @Param('id') id: string) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'VerificationJob' });
    return this.jobs.cancel(target, id);
  }

  @JobResultsRoute('verification_job', 'The results, one row per input row (streamed): row, recordId, outcome, USI status, each field’s match, or why not sent', { row: 1, recordId: 'student-0001', outcome: 'answered', usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', singleName: null, dateOfBirth: 'Match', reason: null })
  async results(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'VerificationJob' });
    await writeJobResults(res, this.jobs.results(target, id), RESULT_COLUMNS, format);
  }
}

export const VerificationJobExampleController = jobExampleController('VerificationJobExampleController', 'verification-job', 'An example upload for verification jobs (columns: recordId, usi, firstName, familyName, singleName, dateOfBirth)', EXAMPLE_CSV);
