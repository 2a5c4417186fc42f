import { Controller, Get, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ManagementAccess } from '../common/auth/access.decorator';
import { AcceptsMediaTypes, JSON_MEDIA_TYPE } from '../common/http/request-media-type';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { Page, PageQuery, pageQuerySchema } from '../common/pagination/cursor';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { ZodQuery } from '../common/validation/zod-body.decorator';
import { OrganisationService } from '../tenancy/organisations/organisation.service';
import { keystoreUploadOf, credentialActor } from './credential-admin';
import { CREDENTIAL_EXAMPLE, PENDING_EXAMPLE, UPLOAD_JSON_EXAMPLE, UPLOAD_SCHEMA } from './credential.openapi';
import { CredentialView } from './credential.view';
import { UPLOAD_DESCRIPTION, UPLOAD_PROBLEMS } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { KeystoreUploadInterceptor } from './keystore-upload.interceptor';

const ORG_EXAMPLE: CredentialView = {
  ...CREDENTIAL_EXAMPLE,
  credentialId: 'ABRD:96312011219_ProviderMachine',
  abn: '96312011219',
  legalName: 'ProviderMachine',
  organisationId: '9b1f3c2e-7d4a-4c1b-8e2f-0a1b2c3d4e5f',
};

/**
 * A provider's own machine credential, for an organisation that connects directly (no ActAs; `connectionMode:
 * "direct"` on the organisation). Uploaded by the vendor's admin; the certificate's ABN must be the organisation's.
 * Everything after the upload (check, rollback, revoke, renewal) is under /v1/credentials/{id}.
 */
@ManagementAccess()
@ApiTags('credentials')
@ApiProblems('organisation.not_found')
@Controller('v1/organisations/:orgCode/credentials')
export class OrganisationCredentialsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly organisations: OrganisationService,
    private readonly tenant: TenantContext,
  ) {}

  @Post()
  @UseInterceptors(KeystoreUploadInterceptor)
  @ApiOperation({
    summary: "Upload an organisation's own machine credential (direct mode; checked with the ATO before it serves)",
    description: `The certificate's ABN must be the organisation's (else 422 \`credential.abn_mismatch\`). ${UPLOAD_DESCRIPTION} ` +
      'Switch the organisation to it with PATCH /v1/organisations/{orgCode} `{"connectionMode": "direct"}`.',
  })
  @AcceptsMediaTypes('multipart/form-data', JSON_MEDIA_TYPE)
  @ApiBody({ schema: UPLOAD_SCHEMA, examples: { json: { value: { ...UPLOAD_JSON_EXAMPLE, credentialId: ORG_EXAMPLE.credentialId } } } })
  @ApiCreatedResponse({
    description: 'The stored credential: `active` when the token check passed, else `pending` with `lastCheck`',
    content: { 'application/json': { examples: { active: { value: ORG_EXAMPLE }, pending: { value: { ...PENDING_EXAMPLE, ...pendingOf(ORG_EXAMPLE) } } } } },
  })
  @ApiProblems(...UPLOAD_PROBLEMS)
  async upload(@Param('orgCode') orgCode: string, @Req() req: Request & { file?: { buffer: Buffer } }): Promise<CredentialView> {
    const { vendorId, actorId } = credentialActor(this.tenant);
    const organisation = await this.organisations.get(vendorId, this.tenant.requirePrincipal(), orgCode);
    return this.credentials.upload(vendorId, actorId, keystoreUploadOf(req), organisation);
  }

  @Get()
  @ApiOperation({
    summary: "List an organisation's own machine credentials, oldest first",
    description: 'For an organisation in direct mode: which of its own credentials serves, and when each expires.',
  })
  @ApiOkResponse({ schema: { example: { items: [ORG_EXAMPLE], nextCursor: null } } })
  @ApiProblems('request.validation', 'request.invalid_cursor')
  async list(@Param('orgCode') orgCode: string, @ZodQuery(pageQuerySchema) page: PageQuery): Promise<Page<CredentialView>> {
    const { vendorId } = credentialActor(this.tenant);
    const organisation = await this.organisations.get(vendorId, this.tenant.requirePrincipal(), orgCode);
    return this.credentials.list(vendorId, page, organisation.id);
  }
}

function pendingOf(view: CredentialView): Partial<CredentialView> {
  return { credentialId: view.credentialId, abn: view.abn, legalName: view.legalName, organisationId: view.organisationId };
}
