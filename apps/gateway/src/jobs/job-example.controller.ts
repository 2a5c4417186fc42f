import { Controller, Get, Header, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';

/**
 * The public controller of `GET /docs/<kind>s/example.csv`: an upload the job accepts as it is, served as CSV and shown
 * as the OpenAPI example, so a vendor can start an export from a student system from it. `name` is the controller's
 * class name (its OpenAPI operationId is `<name>_example`).
 */
export function jobExampleController(name: string, kind: 'verification-job' | 'creation-job', summary: string, csv: string): Type<unknown> {
  @ApiTags(`${kind}s`)
  @Public()
  @Controller(`docs/${kind}s`)
  class JobExampleController {
    @Get('example.csv')
    @Header('Content-Type', 'text/csv; charset=utf-8')
    @Header('Content-Disposition', `inline; filename="${kind}-example.csv"`)
    @ApiProduces('text/csv')
    @ApiOperation({ summary, description: 'To start a CSV export from a student system with the columns and formats a job accepts.' })
    @ApiOkResponse({ schema: { type: 'string', example: csv } })
    example(): string {
      return csv;
    }
  }
  Object.defineProperty(JobExampleController, 'name', { value: name });
  return JobExampleController;
}
