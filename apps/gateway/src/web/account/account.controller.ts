import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
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
      await this.passwords.change({ userId: user.id, vendorId: user.vendorId, email: user.email }, current, next);
    } catch (err) {
      if (!(err instanceof AppError) || !['auth.invalid_credentials', 'request.validation'].includes(err.code)) throw err;
      const field = err.code === 'auth.invalid_credentials' ? 'currentPassword' : 'newPassword';
      this.renderer.send(req, res, 'account/account', { title: 'Your account', form: { values: {}, errors: [{ field, message: err.message }] } }, 422);
      return;
    }
    // Every session of the account has ended, this one too: sign in again with the new password.
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.secureCookies));
    res.redirect(303, '/login?password_changed=1');
  }
}
