import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/app-error';
import type { Request, Response } from 'express';
import { listCredentials } from '@usi/keystore';
import { CredentialsService, MAX_KEYSTORE_UPLOAD_BYTES } from '../../credentials/credentials.service';
import { VendorConsoleRepository } from '../../vendor-console/vendor-console.repository';
import { daysUntil, EXPIRY_WARNING_DAYS, VendorOverviewService } from '../../vendor-console/vendor-overview.service';
import { canActForVendor, VENDOR_ACTORS, VENDOR_READERS, vendorScope } from '../../vendor-console/vendor-scope';
import { FormState, formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { KeystoreFormRequest } from './keystore-form.middleware';
import { vendorFormState } from './vendor-form';

const NOTICES: Record<string, string> = {
  active: 'The credential passed its check with the ATO and is now active.',
  pending: 'The credential is stored but its check with the ATO failed: it is pending, and the current credential keeps serving. See why below.',
  deleted: 'The pending credential is deleted.',
};

/** The fingerprint as certificate viewers show it (hex pairs), besides the API's base64. */
const sha1Hex = (base64: string): string => (Buffer.from(base64, 'base64').toString('hex').toUpperCase().match(/../g) ?? []).join(':');

interface Choice {
  id: string;
  legalName: string;
  abn: string;
  notAfter: string;
  expired: boolean;
}

/**
 * The vendor's machine credential: the active one's details (banner from 60 days before expiry), the history, and
 * the upload in two steps (the keystore file, then which credential of the file and its password). The upload is
 * the API's (CredentialsService.upload): stored pending, active only once a token request with it succeeds.
 */
@Controller('vendor/credential')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorCredentialController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly credentials: CredentialsService,
    private readonly overview: VendorOverviewService,
    private readonly repository: VendorConsoleRepository,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, form?: FormState, status = 200): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const history = await this.overview.credentialHistory(vendorId);
    const uploaders = await this.repository.actorLabels(vendorId, history.map((c) => c.createdBy));
    const active = history.find((c) => c.status === 'active');
    const outcome = req.query.uploaded ?? (req.query.deleted === '1' ? 'deleted' : undefined);
    const notice = typeof outcome === 'string' ? NOTICES[outcome] : undefined;
    this.renderer.send(
      req,
      res,
      'vendor/credential',
      {
        title: 'Machine credential',
        section: 'credential',
        active,
        daysToExpiry: active ? daysUntil(active.notAfter) : undefined,
        sha1Hex: active ? sha1Hex(active.sha1Fingerprint) : undefined,
        warningDays: EXPIRY_WARNING_DAYS,
        history: history.map((c) => ({ ...c, uploadedBy: uploaders.get(c.createdBy) ?? c.createdBy })),
        latestPending: history.find((c) => c.status === 'pending'),
        canAct: canActForVendor(user.principal),
        maxKib: Math.round(MAX_KEYSTORE_UPLOAD_BYTES / 1024),
        notice,
        ...(form ? { form } : {}),
      },
      status,
    );
  }

  /** Step 1: the file. Its credentials are listed (reading them needs no password) for step 2. */
  @Post('upload')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async upload(@Req() req: Request & KeystoreFormRequest, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    vendorScope(user.principal, VENDOR_ACTORS, true);
    const problem = this.fileProblem(req);
    if (problem) return this.page(req, res, user, { values: {}, errors: [{ field: 'keystore', message: problem }] }, 422);
    const keystore = req.file!.buffer;
    let choices: Choice[];
    try {
      choices = listCredentials(keystore).map((c) => ({ id: c.id, legalName: c.legalName, abn: c.abn, notAfter: c.notAfter.toISOString(), expired: c.expired }));
    } catch {
      return this.page(req, res, user, { values: {}, errors: [{ field: 'keystore', message: 'This file is not an ATO keystore (keystore.xml): choose the file you downloaded from RAM' }] }, 422);
    }
    if (!choices.length) return this.page(req, res, user, { values: {}, errors: [{ field: 'keystore', message: 'This keystore holds no credential' }] }, 422);
    this.choose(req, res, keystore.toString('base64'), choices, { values: { credentialId: choices[0].id }, errors: [] }, 200);
  }

  /** Step 2: the credential chosen and its password; stored and checked by the credentials service. */
  @Post('upload/confirm')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async confirm(@Req() req: Request & KeystoreFormRequest, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const encoded = formValue(req.body, 'keystoreData');
    const keystore = Buffer.from(encoded, 'base64');
    let choices: Choice[] = [];
    try {
      choices = listCredentials(keystore).map((c) => ({ id: c.id, legalName: c.legalName, abn: c.abn, notAfter: c.notAfter.toISOString(), expired: c.expired }));
    } catch {
      throw new WebRedirect('/vendor/credential');
    }
    const credentialId = formValue(req.body, 'credentialId');
    const password = formValue(req.body, 'password');
    if (!password) return this.choose(req, res, encoded, choices, { values: { credentialId }, errors: [{ field: 'password', message: 'Enter the keystore password' }] }, 422);
    try {
      const stored = await this.credentials.upload(vendorId, user.principal.actorId, { keystore, credentialId, password });
      throw new WebRedirect(`/vendor/credential?uploaded=${stored.status === 'active' ? 'active' : 'pending'}`);
    } catch (err) {
      if (err instanceof WebRedirect) throw err;
      const field = err instanceof Error && 'code' in err && /not_found_in_keystore|abn_mismatch|expired|not_yet_valid/.test(String(err.code)) ? 'credentialId' : 'password';
      const form = vendorFormState(err, req.body, ['credentialId', 'password'], field);
      if (!form) throw err;
      return this.choose(req, res, encoded, choices, form, 422);
    }
  }

  /** A pending credential checked with the ATO again (CredentialsService.check): active when a token is issued. */
  @Post(':id/check')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async check(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('credential');
    const checked = await this.credentials.check(vendorId, id);
    throw new WebRedirect(`/vendor/credential?uploaded=${checked.status === 'active' ? 'active' : 'pending'}`);
  }

  /** Only a pending credential can be deleted (the others stay for the audit trail). */
  @Post(':id/delete')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async delete(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('credential');
    await this.credentials.delete(vendorId, id);
    throw new WebRedirect('/vendor/credential?deleted=1');
  }

  private choose(req: Request, res: Response, keystoreData: string, choices: Choice[], form: FormState, status: number): void {
    // The page carries the keystore (its keys still encrypted): never kept in a cache.
    res.setHeader('Cache-Control', 'no-store');
    this.renderer.send(req, res, 'vendor/credential-choose', { title: 'Choose the credential', section: 'credential', keystoreData, choices, form }, status);
  }

  private fileProblem(req: Request & KeystoreFormRequest): string | undefined {
    if (req.keystoreFormError === 'too_large') return `The file is larger than ${Math.round(MAX_KEYSTORE_UPLOAD_BYTES / 1024)} KiB: it is not an ATO keystore`;
    if (req.keystoreFormError || !req.file?.buffer.length) return 'Choose your keystore file (keystore.xml)';
    return undefined;
  }
}
