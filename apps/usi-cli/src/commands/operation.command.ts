import { randomBytes } from 'node:crypto';
import { OperationRequest, UsiOperation, validateRequest } from '@usi/contract';
import { CliIo } from '../cli-io';
import { readInputFile } from '../input-file';
import { CliOptions, requireOption } from '../cli-options';
import { openSession } from '../client-session';
import { UsageError } from '../usage-error';
import { verifyFromFlags } from '../verify-flags';

export const OPERATION_COMMANDS: Readonly<Record<string, UsiOperation>> = {
  verify: 'VerifyUSI',
  'bulk-verify': 'BulkVerifyUSI',
  create: 'CreateUSI',
  locate: 'LocateUSI',
  'update-personal': 'UpdateUSIPersonalDetails',
  'update-contact': 'UpdateUSIContactDetails',
  'bulk-upload': 'BulkUpload',
  'bulk-retrieve': 'BulkUploadRetrieve',
  countries: 'GetCountries',
  'document-types': 'GetNonDvsDocumentTypes',
};

/** BulkUploadRetrieve is the one request without an OrgCode. */
const WITHOUT_ORG_CODE: readonly UsiOperation[] = ['BulkUploadRetrieve'];
/** Operations whose XSD has a RequestId (≤ 20 chars); generated when the request file has none. */
const WITH_REQUEST_ID: readonly UsiOperation[] = ['CreateUSI', 'BulkUpload'];
const WITHOUT_BODY: readonly UsiOperation[] = ['GetCountries', 'GetNonDvsDocumentTypes'];

/** Runs one USI operation: request from flags or `--file`, checked with the contract validator before any I/O. */
export async function operationCommand(op: UsiOperation, options: CliOptions, io: CliIo): Promise<unknown> {
  const request = await buildRequest(op, options, io);
  const { client, ctx } = await openSession(options, io);
  try {
    return await client.call(op, ctx, request);
  } finally {
    await client.close();
  }
}

async function buildRequest<O extends UsiOperation>(op: O, options: CliOptions, io: CliIo): Promise<OperationRequest<O>> {
  const input = await requestInput(op, options, io);
  if ('orgCode' in input) throw new UsageError('orgCode comes from --org, not from the request file');
  const full: Record<string, unknown> = { ...input };
  if (!WITHOUT_ORG_CODE.includes(op)) full.orgCode = requireOption(options, 'org');
  if (WITH_REQUEST_ID.includes(op) && full.requestId === undefined) full.requestId = randomBytes(10).toString('hex');
  const result = validateRequest(op, full, { now: (io.clock ?? (() => new Date()))() });
  if (!result.ok) throw new UsageError(`Invalid ${op} request`, { errors: result.errors }, 'cli.invalid_request');
  return result.value;
}

async function requestInput(op: UsiOperation, options: CliOptions, io: CliIo): Promise<Record<string, unknown>> {
  if (options.file !== undefined) return parseJsonObject(await readInputFile(io, options.file, 'cli'), options.file);
  if (op === 'VerifyUSI') return verifyFromFlags(options);
  if (WITHOUT_BODY.includes(op)) return {};
  throw new UsageError('--file REQUEST.json is required for this command');
}

function parseJsonObject(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${file} must hold a JSON object`);
  return value as Record<string, unknown>;
}
