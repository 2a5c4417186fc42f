import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { MfaService } from '../../auth/mfa/mfa.service';
import { SessionService } from '../../auth/sessions/session.service';
import { formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';
import { safeNextPath, WebRedirect } from '../session/web-redirect';
import { WebRequestState } from '../session/web-user';
import { homeAfterSignIn } from './home-after-sign-in';

type WebRequest = Request & WebRequestState;

/**
 * Enrolment of the TOTP second factor, required before any page with data: a QR code made on the server (and the
 * secret as text for typing in), confirmed by a first code; then the recovery codes, shown this once.
 */
@Controller('mfa/setup')
@WebPage({ access: 'password' })
export class MfaSetupController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly mfa: MfaService,
    private readonly sessions: SessionService,
  ) {}

  @Get()
  async form(@Req() req: WebRequest, @Res() res: Response): Promise<void> {
    if (req.webUser!.mfaEnrolled) throw new WebRedirect(req.webUser!.mfaVerified ? homeAfterSignIn(req.webUser!) : '/login/mfa');
    await this.show(req, res, [], 200);
  }

  @Post()
  async confirm(@Req() req: WebRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    if (req.webUser!.mfaEnrolled) throw new WebRedirect(homeAfterSignIn(req.webUser!));
    const code = formValue(body, 'code').replace(/\s/g, '');
    let recoveryCodes: string[];
    try {
      if (!/^\d{6}$/.test(code)) throw new AppError('auth.invalid_mfa_code', 'Enter the 6-digit code your app shows');
      recoveryCodes = await this.mfa.confirmEnrolment(req.webUser!.id, code);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'auth.invalid_mfa_code') throw err;
      await this.show(req, res, [{ field: 'code', message: code ? 'That code is not right. Enter the code your app shows now.' : err.message }], 422);
      return;
    }
    const session = req.webSession!;
    await this.sessions.completeSecondFactor(session.token, session, 'totp', req.ip ?? 'unknown');
    this.renderer.send(req, res, 'sign-in/recovery-codes', {
      title: 'Save your recovery codes',
      recoveryCodes,
      next: safeNextPath(req.query.next) ?? homeAfterSignIn(req.webUser!),
    });
  }

  private async show(req: WebRequest, res: Response, errors: { field: string; message: string }[], status: number): Promise<void> {
    const enrolment = await this.mfa.beginEnrolment(req.webUser!.id);
    this.renderer.send(req, res, 'sign-in/mfa-setup', {
      title: 'Set up two-step sign-in',
      secret: enrolment.secret.replace(/(.{4})/g, '$1 ').trim(),
      qrSvg: enrolment.qrSvg,
      form: { values: {}, errors },
    }, status);
  }
}
