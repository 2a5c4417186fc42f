import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { FailedAuthLimiter } from '../../auth/failed-auth/failed-auth.limiter';
import { PasswordService } from '../../auth/passwords/password.service';
import { SESSION_COOKIE, sessionCookieOptions } from '../../auth/sessions/session-cookie';
import { formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';

/** The signed-in user's own account: who they are, two-step sign-in, password change, sign out everywhere. */
@Controller('account')
@WebPage()
export class AccountController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly passwords: PasswordService,
    private readonly failedAuth: FailedAuthLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  show(@Req() req: Request, @Res() res: Response): void {
    this.renderer.send(req, res, 'account/account', { title: 'Your account' });
  }

  @Post('password')
  async changePassword(@Req() req: Request, @Res() res: Response, @Body() body: unknown, @CurrentWebUser() user: WebUser): Promise<void> {
    const current = formValue(body, 'currentPassword');
    const next = formValue(body, 'newPassword');
    try {
      // A wrong current password counts against the address like a wrong sign-in: a taken-over session cannot guess it.
      await this.failedAuth.authenticate(req, () => this.passwords.change({ userId: user.id, vendorId: user.vendorId, email: user.email }, current, next), true);
    } catch (err) {
      if (!(err instanceof AppError) || !['auth.invalid_credentials', 'request.validation', 'auth.too_many_failures'].includes(err.code)) throw err;
      const throttled = err.code === 'auth.too_many_failures';
      const field = err.code === 'request.validation' ? 'newPassword' : 'currentPassword';
      const message = throttled ? 'Too many attempts. Wait a few minutes, then try again.' : err.message;
      const retry = err.details?.retryAfterSeconds;
      if (throttled && typeof retry === 'number') res.setHeader('Retry-After', String(retry));
      this.renderer.send(req, res, 'account/account', { title: 'Your account', form: { values: {}, errors: [{ field, message }] } }, throttled ? 429 : 422);
      return;
    }
    // Every session of the account has ended, this one too: sign in again with the new password.
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.secureCookies));
    res.redirect(303, '/login?password_changed=1');
  }
}
