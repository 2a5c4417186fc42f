import { Controller, Delete, Get, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ManagementAccess, VendorWide } from '../common/auth/access.decorator';
import { AcceptsMediaTypes, JSON_MEDIA_TYPE } from '../common/http/request-media-type';
import { ApiZodBody } from '../common/openapi/api-body.decorator';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { Page, PageQuery, pageQuerySchema } from '../common/pagination/cursor';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { ZodBody, ZodQuery } from '../common/validation/zod-body.decorator';
import {
  ActivateBody,
  activateBodySchema,
  keystoreUploadOf,
  credentialActor,
  RevokeBody,
  revokeBodySchema,
} from './credential-admin';
import { RenewalPlan } from './credential-renewer';
import { CREDENTIAL_EXAMPLE, PENDING_EXAMPLE, RENEWAL_EXAMPLE, UPLOAD_JSON_EXAMPLE, UPLOAD_SCHEMA } from './credential.openapi';
import { CredentialView } from './credential.view';
import { CredentialsService, RevokedView } from './credentials.service';
import { KeystoreUploadInterceptor } from './keystore-upload.interceptor';

/** The problems of a keystore upload, here and under /v1/organisations/{orgCode}/credentials. */
export const UPLOAD_PROBLEMS = [
  'request.validation',
  'credential.keystore_too_large',
  'credential.keystore_malformed',
  'credential.wrong_password',
  'credential.expired',
  'credential.not_yet_valid',
  'credential.abn_mismatch',
  'credential.key_mismatch',
  'credential.not_found_in_keystore',
];

export const UPLOAD_DESCRIPTION =
  'Stored as `pending`, then checked with a token request to the ATO token service (the credential\'s own ABN, no ActAs). ' +
  'Passed: `active`, the previous active credential `superseded` in the same transaction. Failed: still `pending`, ' +
  '`lastCheck` says why in plain words, and the current credential keeps serving; retry with POST /v1/credentials/{id}/check or delete it. ' +
  '`warnings` lists what the upload noticed (e.g. `credential.name_changed`: a renewal under another name needs its RAM permissions granted again).';

@ManagementAccess()
@VendorWide()
@ApiTags('credentials')
@Controller('v1/credentials')
export class CredentialsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly tenant: TenantContext,
  ) {}

  /** multipart (`keystore` file, `credentialId`, `password`) or JSON (`keystoreXml`, `credentialId`, `password`). */
  @Post()
  @UseInterceptors(KeystoreUploadInterceptor)
  @ApiOperation({ summary: "Upload the vendor's machine credential (checked with the ATO before it serves)", description: UPLOAD_DESCRIPTION })
  @AcceptsMediaTypes('multipart/form-data', JSON_MEDIA_TYPE)
  @ApiBody({ schema: UPLOAD_SCHEMA, examples: { json: { value: UPLOAD_JSON_EXAMPLE } } })
  @ApiCreatedResponse({
    description: 'The stored credential: `active` when the token check passed, else `pending` with `lastCheck`',
    content: { 'application/json': { examples: { active: { value: CREDENTIAL_EXAMPLE }, pending: { value: PENDING_EXAMPLE } } } },
  })
  @ApiProblems(...UPLOAD_PROBLEMS)
  upload(@Req() req: Request & { file?: { buffer: Buffer } }): Promise<CredentialView> {
    const { vendorId, actorId } = credentialActor(this.tenant);
    return this.credentials.upload(vendorId, actorId, keystoreUploadOf(req));
  }

  @Get()
  @ApiOperation({
    summary: "List the vendor's own machine credentials, oldest first",
    description: 'To see which credential serves (`active`), which wait for their ATO check (`pending`) and when each expires.',
  })
  @ApiOkResponse({ schema: { example: { items: [CREDENTIAL_EXAMPLE], nextCursor: null } } })
  @ApiProblems('request.validation', 'request.invalid_cursor')
  list(@ZodQuery(pageQuerySchema) page: PageQuery): Promise<Page<CredentialView>> {
    return this.credentials.list(credentialActor(this.tenant).vendorId, page);
  }

  @Get(':id')
  @ApiOperation({
    summary: "A machine credential (the vendor's or one of its organisations')",
    description: 'To follow one credential after an upload: its status, last check and expiry.',
  })
  @ApiOkResponse({ schema: { example: CREDENTIAL_EXAMPLE } })
  @ApiProblems('credential.not_found')
  get(@Param('id') id: string): Promise<CredentialView> {
    return this.credentials.get(credentialActor(this.tenant).vendorId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a pending credential (others are revoked, and kept for the audit trail)',
    description: 'When an upload was a mistake (wrong file or alias) and the credential never served.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems('credential.not_found', 'credential.not_pending')
  async delete(@Param('id') id: string): Promise<void> {
    await this.credentials.delete(credentialActor(this.tenant).vendorId, id);
  }

  @Post(':id/check')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a pending credential with the ATO again; it becomes active when a token is issued',
    description: 'Answers the credential: `active` when the check passed, else still `pending` with the new `lastCheck`.',
  })
  @ApiOkResponse({ content: { 'application/json': { examples: { active: { value: CREDENTIAL_EXAMPLE }, pending: { value: PENDING_EXAMPLE } } } } })
  @ApiProblems('credential.not_found', 'credential.not_pending')
  check(@Param('id') id: string): Promise<CredentialView> {
    return this.credentials.check(credentialActor(this.tenant).vendorId, id);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Roll back: make a superseded, still valid credential active again',
    description:
      'Needs `{"confirm": true}` (else 409 `credential.confirmation_required`, naming the credential it would replace). ' +
      'The credential is checked with the ATO first; the switch is audited (`credential.reactivated`) and flushes the vendor\'s tokens on every instance.',
  })
  @ApiZodBody(activateBodySchema, { confirm: true })
  @ApiOkResponse({ schema: { example: CREDENTIAL_EXAMPLE } })
  @ApiProblems(
    'request.validation',
    'credential.not_found',
    'credential.confirmation_required',
    'credential.not_reactivatable',
    'credential.expired',
    'credential.check_failed',
  )
  activate(@Param('id') id: string, @ZodBody(activateBodySchema) body: ActivateBody): Promise<CredentialView> {
    return this.credentials.reactivate(credentialActor(this.tenant).vendorId, id, body.confirm === true);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke a credential; the active one needs a replacement or a confirmation',
    description:
      'Revoking the active credential while a valid superseded one exists answers 409 `credential.fallback_available` naming it: ' +
      'send `{"activate": "<its id>"}` to revoke and switch in one step, or `{"confirm": true}`. Revoking the last valid credential ' +
      'answers 409 `credential.confirmation_required` (every USI call it served stops) until `{"confirm": true}` is sent.',
  })
  @ApiZodBody(revokeBodySchema, { activate: '5b0f6c1e-8d3a-4a53-9d0e-2f1f0c7e9a10' })
  @ApiOkResponse({ schema: { example: { ...CREDENTIAL_EXAMPLE, status: 'revoked', revokedAt: '2026-03-01T09:30:00.000Z' } } })
  @ApiProblems(
    'request.validation',
    'credential.not_found',
    'credential.fallback_available',
    'credential.confirmation_required',
    'credential.not_reactivatable',
    'credential.check_failed',
    'credential.status_changed',
  )
  revoke(@Param('id') id: string, @ZodBody(revokeBodySchema) body: RevokeBody): Promise<RevokedView> {
    return this.credentials.revoke(credentialActor(this.tenant).vendorId, id, body);
  }

  @Get(':id/renewal')
  @ApiOperation({
    summary: 'How to renew this credential (manual: RAM, same name, download, upload here)',
    description: 'Automated renewal through the ATO credential-management service is not offered: its protocol is not publicly specified.',
  })
  @ApiOkResponse({ schema: { example: RENEWAL_EXAMPLE } })
  @ApiProblems('credential.not_found')
  renewal(@Param('id') id: string): Promise<RenewalPlan> {
    return this.credentials.renewal(credentialActor(this.tenant).vendorId, id);
  }
}
