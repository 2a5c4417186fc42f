import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { PasswordService, RESET_LINK_MINUTES } from '../../auth/passwords/password.service';
import { formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * "Forgotten password": the same answer whether or not the email has an account; the emailed link (30 minutes,
 * single use) leads to a form for the new password.
 */
@Controller('password')
@WebPage({ access: 'anyone' })
export class PasswordResetController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly passwords: PasswordService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('forgot')
  forgotForm(@Req() req: Request, @Res() res: Response): void {
    this.renderer.send(req, res, 'sign-in/password-forgot', { title: 'Reset your password' });
  }

  @Post('forgot')
  async forgot(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const email = formValue(body, 'email').trim();
    if (!EMAIL.test(email) || email.length > 320) {
      const message = email ? 'Enter an email address like name@example.com' : 'Enter your email address';
      this.renderer.send(req, res, 'sign-in/password-forgot', { title: 'Reset your password', form: { values: { email }, errors: [{ field: 'email', message }] } }, 422);
      return;
    }
    const origin = this.config.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    await this.passwords.requestReset(email, (token) => `${origin}/password/reset?token=${encodeURIComponent(token)}`);
    this.renderer.send(req, res, 'sign-in/password-sent', { title: 'Check your email', email, minutes: RESET_LINK_MINUTES });
  }

  @Get('reset')
  async resetForm(@Req() req: Request, @Res() res: Response, @Query('token') token?: string): Promise<void> {
    if (typeof token !== 'string' || !(await this.passwords.isResetLinkValid(token))) return this.expired(req, res);
    this.renderer.send(req, res, 'sign-in/password-reset', { title: 'Choose a new password', token });
  }

  @Post('reset')
  async reset(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const token = formValue(body, 'token');
    const password = formValue(body, 'password');
    const errors =
      password !== formValue(body, 'confirm') ? [{ field: 'confirm', message: 'The two passwords are not the same' }] : [];
    try {
      if (errors.length) throw new AppError('request.validation', errors[0].message);
      await this.passwords.reset(token, password);
    } catch (err) {
      if (err instanceof AppError && err.code === 'auth.invalid_reset_link') return this.expired(req, res);
      if (!(err instanceof AppError) || err.code !== 'request.validation') throw err;
      const fieldErrors = errors.length ? errors : [{ field: 'password', message: err.message }];
      this.renderer.send(req, res, 'sign-in/password-reset', { title: 'Choose a new password', token, form: { values: {}, errors: fieldErrors } }, 422);
      return;
    }
    this.renderer.send(req, res, 'sign-in/login', { title: 'Sign in', next: '', notice: 'Your password has been changed. Sign in with the new password.' });
  }

  private expired(req: Request, res: Response): void {
    this.renderer.send(req, res, 'sign-in/password-expired', { title: 'This link has expired' }, 400);
  }
}
