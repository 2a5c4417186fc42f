import { Controller, Get, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { ManagementAccess, VendorWide } from '../common/auth/access.decorator';
import { ValidationError } from '../common/errors/app-error';
import { AcceptsMediaTypes, JSON_MEDIA_TYPE } from '../common/http/request-media-type';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { Page, PageQuery, pageQuerySchema } from '../common/pagination/cursor';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { ZodQuery } from '../common/validation/zod-body.decorator';
import { CREDENTIAL_EXAMPLE, UPLOAD_JSON_EXAMPLE, UPLOAD_SCHEMA } from './credential.openapi';
import { CredentialView } from './credential.view';
import { CredentialsService } from './credentials.service';
import { KeystoreUploadInterceptor } from './keystore-upload.interceptor';

const uploadFields = z.object({
  credentialId: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
  keystoreXml: z.string().min(1).optional(),
});

/**
 * Credentials decide who can speak to the ATO as the vendor: an `admin` key or a vendor admin, and only one acting
 * for the whole vendor (a key restricted to some organisations must not replace or revoke the vendor's credential).
 */
@ApiTags('credentials')
@ManagementAccess()
@VendorWide()
@ApiProblems('auth.unauthenticated', 'auth.forbidden_scope')
@Controller('v1/credentials')
export class CredentialsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly tenant: TenantContext,
  ) {}

  /** multipart (`keystore` file, `credentialId`, `password`) or JSON (`keystoreXml`, `credentialId`, `password`). */
  @Post()
  @UseInterceptors(KeystoreUploadInterceptor)
  @AcceptsMediaTypes('multipart/form-data', JSON_MEDIA_TYPE)
  @ApiBody({ schema: UPLOAD_SCHEMA, examples: { json: { value: UPLOAD_JSON_EXAMPLE } } })
  @ApiCreatedResponse({ description: 'The stored credential, now active; the previous one is superseded', schema: { example: CREDENTIAL_EXAMPLE } })
  @ApiProblems(
    'request.validation',
    'credential.keystore_too_large',
    'credential.keystore_malformed',
    'credential.wrong_password',
    'credential.expired',
    'credential.not_yet_valid',
    'credential.abn_mismatch',
    'credential.key_mismatch',
    'credential.not_found_in_keystore',
  )
  upload(@Req() req: Request & { file?: { buffer: Buffer } }): Promise<CredentialView> {
    const vendorId = this.tenant.requireVendorId();
    const { actorId } = this.tenant.requirePrincipal();
    const fields = uploadFields.safeParse(req.body ?? {});
    if (!fields.success) {
      // Field paths and rule codes only: a password value must never be echoed back.
      throw new ValidationError(fields.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })));
    }
    const keystore = req.file?.buffer ?? (fields.data.keystoreXml ? Buffer.from(fields.data.keystoreXml, 'utf8') : undefined);
    if (!keystore) {
      throw new ValidationError([{ path: 'keystore', code: 'required', message: 'Upload a keystore file or send keystoreXml' }]);
    }
    return this.credentials.upload(vendorId, actorId, { keystore, ...fields.data });
  }

  @Get()
  @ApiOkResponse({ schema: { example: { items: [CREDENTIAL_EXAMPLE], nextCursor: null } } })
  @ApiProblems('request.validation', 'request.invalid_cursor')
  list(@ZodQuery(pageQuerySchema) page: PageQuery): Promise<Page<CredentialView>> {
    return this.credentials.list(this.tenant.requireVendorId(), page);
  }

  @Get(':id')
  @ApiOkResponse({ schema: { example: CREDENTIAL_EXAMPLE } })
  @ApiProblems('credential.not_found')
  get(@Param('id') id: string): Promise<CredentialView> {
    return this.credentials.get(this.tenant.requireVendorId(), id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: { ...CREDENTIAL_EXAMPLE, status: 'revoked', revokedAt: '2026-03-01T09:30:00.000Z' } } })
  @ApiProblems('credential.not_found')
  revoke(@Param('id') id: string): Promise<CredentialView> {
    return this.credentials.revoke(this.tenant.requireVendorId(), id);
  }
}
