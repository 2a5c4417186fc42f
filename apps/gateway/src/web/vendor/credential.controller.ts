import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { statusForCode } from '../../common/errors/error-status';
import type { Request, Response } from 'express';
import { listCredentials } from '@usi/keystore';
import { activateBodySchema, revokeBodySchema } from '../../credentials/credential-admin';
import type { CredentialView } from '../../credentials/credential.view';
import { CredentialsService, MAX_KEYSTORE_UPLOAD_BYTES } from '../../credentials/credentials.service';
import { VendorId } from '../../database/vendor-id';
import { parseForm } from '../../providers/parse-form';
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
  revoked: 'The credential is revoked.',
  switched: 'The credential is revoked, and the previous one is active again (it passed its check with the ATO).',
  reactivated: 'The previous credential is active again: it passed its check with the ATO.',
};

/** One way to answer a confirmation page: a button posting these fields. */
interface ConfirmOption {
  label: string;
  fields: Record<string, string>;
  danger?: boolean;
}

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
    const outcome = req.query.uploaded ?? req.query.done ?? (req.query.deleted === '1' ? 'deleted' : undefined);
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
        history: history.map((c) => ({ ...c, uploadedBy: uploaders.get(c.createdBy) ?? c.createdBy, expired: new Date(c.notAfter).getTime() <= Date.now() })),
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

  /** Revoking, step 1: what it means, before anything changes. */
  @Get(':id/revoke')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async confirmRevoke(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const credential = await this.own(vendorId, id);
    const question =
      credential.status === 'active'
        ? `${credential.credentialId} is the active credential: the gateway calls the USI Registry with it. Revoke it?`
        : `Revoke ${credential.credentialId}? A revoked credential never serves again.`;
    this.confirmPage(req, res, 'revoke', credential, question, [{ label: 'Revoke the credential', fields: {}, danger: true }]);
  }

  /**
   * Revoking, step 2, through CredentialsService.revoke as on the API: the active credential needs a replacement or a
   * confirmation, so its refusal (`fallback_available`, `confirmation_required`) comes back as the question to answer.
   */
  @Post(':id/revoke')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async revoke(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const credential = await this.own(vendorId, id);
    const activate = formValue(req.body, 'activate');
    try {
      const options = parseForm(revokeBodySchema, activate ? { activate } : formValue(req.body, 'confirm') === 'yes' ? { confirm: true } : {});
      const revoked = await this.credentials.revoke(vendorId, credential.id, options);
      throw new WebRedirect(`/vendor/credential?done=${revoked.replacedBy ? 'switched' : 'revoked'}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.code.startsWith('auth.') || statusForCode(err.code).status >= 500) throw err;
      const stop = { label: 'Revoke without a replacement: USI calls stop', fields: { confirm: 'yes' }, danger: true };
      if (err.code === 'credential.fallback_available' && typeof err.details?.fallbackId === 'string') {
        const fallback = (await this.overview.credentialHistory(vendorId)).find((c) => c.id === err.details!.fallbackId);
        const question =
          `${credential.credentialId} is the active credential. ${fallback?.credentialId ?? 'A previous credential'} (superseded, valid until ` +
          `${fallback?.notAfter.slice(0, 10) ?? 'later'}) can take over: it is checked with the ATO first.`;
        return this.confirmPage(req, res, 'revoke', credential, question, [{ label: 'Revoke and switch to the previous credential', fields: { activate: String(err.details.fallbackId) } }, stop], undefined, 409);
      }
      if (err.code === 'credential.confirmation_required') {
        const question = `${credential.credentialId} is the last valid credential: revoking it stops every USI call until a new credential is uploaded and passes its check.`;
        return this.confirmPage(req, res, 'revoke', credential, question, [stop], undefined, 409);
      }
      return this.confirmPage(req, res, 'revoke', credential, `Revoke ${credential.credentialId}?`, [], err.message, 422);
    }
  }

  /** Rolling back, step 1: which credential it replaces. */
  @Get(':id/activate')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async confirmActivate(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const credential = await this.own(vendorId, id);
    const active = (await this.overview.credentialHistory(vendorId)).find((c) => c.status === 'active');
    const question =
      `Make ${credential.credentialId} active again? It replaces ${active ? `the active credential ${active.credentialId}` : 'no active credential'}` +
      ' once it passes a check with the ATO.';
    this.confirmPage(req, res, 'activate', credential, question, [{ label: 'Make it active again', fields: { confirm: 'yes' } }]);
  }

  /** Rolling back, step 2: CredentialsService.reactivate, confirmed; its refusals are shown on the page. */
  @Post(':id/activate')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async activate(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const credential = await this.own(vendorId, id);
    try {
      const body = parseForm(activateBodySchema, formValue(req.body, 'confirm') === 'yes' ? { confirm: true } : {});
      await this.credentials.reactivate(vendorId, credential.id, body.confirm === true);
      throw new WebRedirect('/vendor/credential?done=reactivated');
    } catch (err) {
      if (!(err instanceof AppError) || err.code.startsWith('auth.') || statusForCode(err.code).status >= 500) throw err;
      if (err.code === 'credential.confirmation_required') return this.confirmActivate(req, res, user, id);
      return this.confirmPage(req, res, 'activate', credential, `Make ${credential.credentialId} active again?`, [], err.message, 422);
    }
  }

  /** The vendor's own credential (not an organisation's), or a 404. */
  private async own(vendorId: VendorId, id: string): Promise<CredentialView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('credential');
    const found = (await this.overview.credentialHistory(vendorId)).find((c) => c.id === id);
    if (!found) throw new NotFoundError('credential');
    return found;
  }

  private confirmPage(
    req: Request,
    res: Response,
    action: 'revoke' | 'activate',
    credential: CredentialView,
    question: string,
    options: ConfirmOption[],
    refusal?: string,
    status = 200,
  ): void {
    const title = action === 'revoke' ? `Revoke ${credential.credentialId}?` : `Make ${credential.credentialId} active again?`;
    this.renderer.send(req, res, 'vendor/credential-confirm', { title, section: 'credential', action, credential, question, options, refusal }, status);
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
