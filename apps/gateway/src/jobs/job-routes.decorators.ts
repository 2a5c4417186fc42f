import { applyDecorators, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery } from '@nestjs/swagger';
import { AcceptsMediaTypes } from '../common/http/request-media-type';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';

/** `POST` a bulk job: 202, an Idempotency-Key, the upload types the job middleware reads, and `dryRun`. */
export function JobUploadRoute(summary: string, description: string) {
  return applyDecorators(
    Post(),
    HttpCode(202),
    Idempotent(),
    AcceptsMediaTypes('text/csv', 'application/json', 'application/x-ndjson', 'multipart/form-data'),
    ApiOperation({ summary, description }),
    ApiQuery({ name: 'dryRun', required: false, schema: { type: 'boolean' } }),
  );
}

/** `GET :id/results` of a bulk job: streamed JSON or CSV (`format`, else the Accept header). */
export function JobResultsRoute(kind: 'verification_job' | 'creation_job', summary: string, example: object) {
  return applyDecorators(
    Get(':id/results'),
    ApiOperation({
      summary,
      description: 'Once the job is completed (or for the rows answered so far): JSON by default, CSV with `format=csv` or `Accept: text/csv`.',
    }),
    ApiQuery({ name: 'format', required: false, schema: { type: 'string', enum: ['json', 'csv'] } }),
    ApiProduces('application/json', 'text/csv'),
    ApiOkResponse({ schema: { example: [example] } }),
    ApiProblems(`${kind}.not_found`, `${kind}.results_deleted`),
  );
}

/** `GET` the organisation's bulk jobs: newest first, cursor-paged (`limit`, `cursor`), each as its `GET :id` shows it. */
export function JobListRoute(summary: string, example: object) {
  return applyDecorators(
    Get(),
    ApiOperation({
      summary,
      description:
        'To find a job again (its id, state and counts) without having kept its id: newest first, `limit` per page, then ' +
        '`cursor` = the previous page\'s `nextCursor` (null on the last page). Each item is the job as `GET …/{id}` answers it; no personal data.',
    }),
    ApiOkResponse({ schema: { example: { items: [example], nextCursor: null } } }),
    ApiProblems('request.validation', 'request.invalid_cursor', 'organisation.not_found', 'authorisation.not_active'),
  );
}
