import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { FailedAuthLimiter } from '../../auth/failed-auth/failed-auth.limiter';
import { MfaService } from '../../auth/mfa/mfa.service';
import { SESSION_COOKIE, sessionCookieOptions } from '../../auth/sessions/session-cookie';
import { SessionService, SignInFactor } from '../../auth/sessions/session.service';
import type { LoginCandidate } from '../../auth/users/user.types';
import { formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';
import { safeNextPath, WebRedirect } from '../session/web-redirect';
import { WebRequestState } from '../session/web-user';
import { homeAfterSignIn } from './home-after-sign-in';
import { LocalLoginGuard, LocalLoginRequest } from './local-login.guard';

/** "Remember this device": proves a passed second factor on this browser for ≤ 24 h (MfaService). */
export const MFA_DEVICE_COOKIE = 'usi_mfa_device';

type WebRequest = Request & WebRequestState & LocalLoginRequest;

/** Refusals of the second step shown on its form; anything else is an error page. */
const SECOND_STEP_REFUSALS: ReadonlySet<string> = new Set(['auth.invalid_mfa_code', 'auth.mfa_unavailable', 'auth.too_many_attempts', 'auth.too_many_failures']);

/**
 * Sign-in in two steps: email + password (passport local), then the TOTP code (or a recovery code); a user without a
 * second factor is taken to enrol one first. Messages never say whether an email exists.
 */
@Controller()
@WebPage({ access: 'anyone' })
export class SignInController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly sessions: SessionService,
    private readonly mfa: MfaService,
    private readonly failedAuth: FailedAuthLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  loginForm(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Query('next') next?: string,
    @Query('signed_out') signedOut?: string,
    @Query('password_changed') passwordChanged?: string,
  ): void {
    if (req.webUser?.mfaVerified) throw new WebRedirect(safeNextPath(next) ?? homeAfterSignIn(req.webUser));
    this.renderer.send(req, res, 'sign-in/login', {
      title: 'Sign in',
      next: safeNextPath(next) ?? '',
      notice: passwordChanged
        ? 'Your password has been changed. Sign in with the new password.'
        : signedOut
          ? 'You have signed out.'
          : undefined,
    });
  }

  @Post('login')
  @UseGuards(LocalLoginGuard)
  async login(@Req() req: WebRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const next = safeNextPath(formValue(body, 'next'));
    const user = req.user as LoginCandidate | undefined;
    if (!user) {
      const refusal = req.loginRefusal ?? { reason: 'invalid' };
      const email = formValue(body, 'email').trim();
      const errors =
        refusal.reason === 'missing'
          ? [
              ...(email ? [] : [{ field: 'email', message: 'Enter your email address' }]),
              ...(formValue(body, 'password') ? [] : [{ field: 'password', message: 'Enter your password' }]),
            ]
          : refusal.reason === 'throttled'
            ? [{ field: 'password', message: 'Too many attempts. Wait a few minutes, then try again.' }]
            : [{ field: 'password', message: 'The email address or password is not right' }];
      if (refusal.retryAfterSeconds) res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
      const status = refusal.reason === 'throttled' ? 429 : 422;
      this.renderer.send(req, res, 'sign-in/login', { title: 'Sign in', next: next ?? '', form: { values: { email }, errors } }, status);
      return;
    }
    // A new session for every sign-in: a cookie set before it (someone else's, planted) is never promoted.
    if (req.webSession) await this.sessions.logout(req.webSession.token);
    const remembered = user.mfaEnrolled && (await this.mfa.isRememberedDevice(user.id, req.cookies?.[MFA_DEVICE_COOKIE]));
    const factor: SignInFactor = remembered ? 'remembered_device' : 'pending';
    const session = await this.sessions.issue(user, { clientAddress: req.ip ?? 'unknown', mfa: factor });
    res.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(this.config.secureCookies, session.expiresAt));
    const query = next ? `?next=${encodeURIComponent(next)}` : '';
    res.redirect(303, remembered ? (next ?? homeAfterSignIn(user)) : user.mfaEnrolled ? `/login/mfa${query}` : `/mfa/setup${query}`);
  }

  @Get('login/mfa')
  @WebPage({ access: 'password' })
  secondStepForm(@Req() req: WebRequest, @Res() res: Response, @Query('next') next?: string): void {
    const target = this.afterSecondStep(req, next);
    if (target) throw new WebRedirect(target);
    this.renderer.send(req, res, 'sign-in/mfa', { title: 'Enter your security code', next: safeNextPath(next) ?? '' });
  }

  @Post('login/mfa')
  @WebPage({ access: 'password' })
  async secondStep(@Req() req: WebRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const next = safeNextPath(formValue(body, 'next'));
    const target = this.afterSecondStep(req, next);
    if (target) throw new WebRedirect(target);
    const session = req.webSession!;
    const code = formValue(body, 'code').trim();
    let method: SignInFactor;
    try {
      if (!code) throw new AppError('auth.invalid_mfa_code', 'Enter the 6-digit code from your authenticator app');
      // A wrong code counts against the address too, like a wrong password (per account: MfaService's own lock).
      method = await this.failedAuth.authenticate(req, () => this.mfa.verify(session.userId, code), true);
    } catch (err) {
      if (!(err instanceof AppError) || !SECOND_STEP_REFUSALS.has(err.code)) throw err;
      // The stored secret cannot be opened: no code can pass, so say so (recovery codes still work), as 409.
      const unavailable = err.code === 'auth.mfa_unavailable';
      const throttled = !unavailable && err.code !== 'auth.invalid_mfa_code';
      const message = !code ? 'Enter the 6-digit code from your authenticator app' : throttled ? 'Too many wrong codes. Wait a few minutes, then try again.' : err.message;
      const retry = err.details?.retryAfterSeconds;
      if (throttled && typeof retry === 'number') res.setHeader('Retry-After', String(retry));
      const status = unavailable ? 409 : throttled ? 429 : 422;
      this.renderer.send(req, res, 'sign-in/mfa', { title: 'Enter your security code', next: next ?? '', form: { values: {}, errors: [{ field: 'code', message }] } }, status);
      return;
    }
    await this.sessions.completeSecondFactor(session.token, session, method, req.ip ?? 'unknown');
    if (formValue(body, 'remember') === 'yes') {
      const device = await this.mfa.rememberDevice(session.userId);
      res.cookie(MFA_DEVICE_COOKIE, device.value, { ...sessionCookieOptions(this.config.secureCookies, device.expiresAt), path: '/login' });
    }
    res.redirect(303, next ?? homeAfterSignIn(req.webUser!));
  }

  @Post('logout')
  async logout(@Req() req: WebRequest, @Res() res: Response): Promise<void> {
    if (req.webSession) await this.sessions.logout(req.webSession.token);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.secureCookies));
    res.redirect(303, '/login?signed_out=1');
  }

  @Post('logout/everywhere')
  @WebPage()
  async logoutEverywhere(@Req() req: WebRequest, @Res() res: Response): Promise<void> {
    await this.sessions.logoutEverywhere(req.webSession!);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.secureCookies));
    res.clearCookie(MFA_DEVICE_COOKIE, { ...sessionCookieOptions(this.config.secureCookies), path: '/login' });
    res.redirect(303, '/login?signed_out=1');
  }

  /** Where a second-step page sends a session that does not need it (already passed, or no factor to pass yet). */
  private afterSecondStep(req: WebRequest, next: string | undefined): string | undefined {
    if (req.webUser!.mfaVerified) return safeNextPath(next) ?? homeAfterSignIn(req.webUser!);
    if (!req.webUser!.mfaEnrolled) return '/mfa/setup';
    return undefined;
  }
}
