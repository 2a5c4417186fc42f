import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { ProviderSignupService } from '../../providers/signup/provider-signup.service';
import { formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';
import { safeNextPath } from '../session/web-redirect';
import { emailLink, formStateFrom } from './provider-form';

const FIELDS = ['name', 'email', 'password', 'acceptTerms'] as const;

/**
 * A training provider signs up, then confirms its email address with the emailed link (POST, so no prefetch uses it).
 * A page asked for before signing up (a vendor's invitation link, with the vendor and org code in it) is carried
 * as `next` through the form, the emailed link and the confirmation, to the sign-in that follows.
 */
@Controller()
@WebPage({ access: 'anyone' })
export class SignupController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly signup: ProviderSignupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('signup')
  form(@Req() req: Request, @Res() res: Response, @Query('next') next: unknown): void {
    this.renderer.send(req, res, 'provider/signup', { title: 'Create your account', next: safeNextPath(next) ?? '' });
  }

  @Post('signup')
  async submit(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const next = safeNextPath(formValue(body, 'next'));
    const link = emailLink(this.config.publicBaseUrl, req, '/signup/verify');
    try {
      await this.signup.signup(body, (token) => link(token) + (next ? `&next=${encodeURIComponent(next)}` : ''));
    } catch (err) {
      const form = formStateFrom(err, body, FIELDS);
      if (!form) throw err;
      return this.renderer.send(req, res, 'provider/signup', { title: 'Create your account', form, next: next ?? '' }, 422);
    }
    this.renderer.send(req, res, 'provider/signup-sent', { title: 'Check your email', email: formValue(body, 'email') });
  }

  @Get('signup/verify')
  confirm(@Req() req: Request, @Res() res: Response, @Query('token') token: unknown, @Query('next') next: unknown): void {
    this.renderer.send(req, res, 'provider/verify', { title: 'Confirm your email address', token: typeof token === 'string' ? token : '', next: safeNextPath(next) ?? '' });
  }

  @Post('signup/verify')
  async verify(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    try {
      await this.signup.verifyEmail(formValue(body, 'token'));
    } catch (err) {
      const form = formStateFrom(err, body, ['token']);
      if (!form) throw err;
      return this.renderer.send(req, res, 'provider/verify', { title: 'Confirm your email address', token: '', failed: form.errors[0].message }, 400);
    }
    const next = safeNextPath(formValue(body, 'next')) ?? '/provider';
    this.renderer.send(req, res, 'provider/verified', { title: 'Email address confirmed', next });
  }
}
