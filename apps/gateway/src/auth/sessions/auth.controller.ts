import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { Principal, USER_ROLES } from '../../common/request-context/principal';
import { ZodBody } from '../../common/validation/zod-body.decorator';
import { CsrfProtection } from '../csrf/csrf-protection.service';
import { FailedAuthLimiter } from '../failed-auth/failed-auth.limiter';
import { AnyPrincipal, RequireRoles } from '../../common/auth/access.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import { Public } from '../../common/auth/public.decorator';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { IssuedSession, SessionService } from './session.service';

const loginSchema = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
  /** Required for an account with two-step sign-in: the authenticator's current code, or a recovery code. */
  totpCode: z.string().trim().min(6).max(32).optional(),
});

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly csrf: CsrfProtection,
    private readonly failedAuth: FailedAuthLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiZodBody(loginSchema, { email: 'admin@demo.example', password: 'correct horse battery staple' })
  @ApiOkResponse({
    description:
      'Sets the httpOnly `usi_session` cookie. `csrfToken` goes in the `X-CSRF-Token` header of every write made with that cookie.',
    schema: { example: { user: { id: '…', roles: ['vendor_admin'] }, expiresAt: '2026-03-01T21:00:00.000Z', csrfToken: 'q3Jd…' } },
  })
  @ApiProblems('request.validation', 'auth.invalid_credentials', 'auth.mfa_required', 'auth.invalid_mfa_code', 'auth.mfa_unavailable', 'auth.too_many_attempts', 'auth.too_many_failures')
  @ApiOperation({ summary: 'Log in (staff and provider users)', description: 'Browser users: sets the session cookie and answers the CSRF token that every write must carry. API clients use an API key instead.' })
  async login(
    @ZodBody(loginSchema) body: z.output<typeof loginSchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Pick<IssuedSession, 'user' | 'expiresAt'> & { csrfToken: string }> {
    // A wrong password counts against the address like a wrong API key; its credential is in the body.
    const session = await this.failedAuth.authenticate(
      req,
      () => this.sessions.login(body.email, body.password, req.ip ?? 'unknown', body.totpCode),
      true,
    );
    res.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(this.config.secureCookies, session.expiresAt));
    return { user: session.user, expiresAt: session.expiresAt, csrfToken: this.csrf.tokenFor(session.token) };
  }

  /** For a page loaded after login: the token is in no cookie a script could read, so a fresh page asks for it here. */
  @Get('csrf')
  @RequireRoles(...USER_ROLES)
  @ApiOkResponse({ description: 'The CSRF token of the current session.', schema: { example: { csrfToken: 'q3Jd…' } } })
  @ApiProblem('auth.unauthenticated')
  @ApiOperation({ summary: 'The session\'s CSRF token', description: 'When a page lost the token from the login answer: writes made with the session cookie must send it as `X-CSRF-Token`.' })
  csrfToken(@Req() req: Request): { csrfToken: string } {
    return { csrfToken: this.csrf.tokenFor(String(req.cookies?.[SESSION_COOKIE])) };
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Ends the session (if any) and clears the cookie.' })
  @ApiProblem('auth.csrf')
  @ApiOperation({ summary: 'Log out', description: 'Ends the session (if any) and clears the cookie; needs the CSRF token when a session cookie is sent.' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string' && token) {
      // Public (an expired session must still be able to clear its cookie) but acting on the session: same CSRF rule.
      this.csrf.assert(req, token, { originCheck: true });
      await this.sessions.logout(token);
    }
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.secureCookies));
  }

  @Get('me')
  @AnyPrincipal()
  @ApiOkResponse({ schema: { example: { kind: 'user', vendorId: '1f0c…', roles: ['vendor_admin'], scopes: [] } } })
  @ApiProblem('auth.unauthenticated')
  @ApiOperation({ summary: 'Who is calling', description: 'To check what an API key or session may do: its kind, vendor, roles and scopes.' })
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
