import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { enforce, routeDecision } from '../../common/authorization/access-policy';
import { AppError } from '../../common/errors/app-error';
import { ApiScope, Principal, UserRole } from '../../common/request-context/principal';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { ApiKeyService } from '../api-keys/api-key.service';
import { CSRF_TOKEN_REQUIRED } from '../csrf/csrf.decorator';
import { CsrfProtection } from '../csrf/csrf-protection.service';
import { FailedAuthLimiter } from '../failed-auth/failed-auth.limiter';
import { SESSION_COOKIE } from '../sessions/session-cookie';
import { SessionService } from '../sessions/session.service';
import { REQUIRED_ROLES, REQUIRED_SCOPES, VENDOR_WIDE } from '../../common/auth/access.decorator';
import { AuthenticatedRequest } from '../../common/auth/current-principal.decorator';
import { IS_PUBLIC } from '../../common/auth/public.decorator';

/**
 * The one global guard, in this order (the body's media type was checked before routing): authentication (401),
 * failed-authentication limits (429), CSRF for session-cookie
 * writes (403 `auth.csrf`), then the access policy's route rule (403). Every route needs a principal unless marked
 * `@Public()`. An API key wins over a cookie so automation never acts with a browser session by accident.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
    private readonly csrf: CsrfProtection,
    private readonly tenant: TenantContext,
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    // The body's media type is checked before routing by RequestMediaTypes (common/http), for every route.
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const csrfTokenRequired = this.reflector.getAllAndOverride<boolean>(CSRF_TOKEN_REQUIRED, targets) ?? false;
    const principal = await this.failedAuth.authenticate(req, () => this.authenticate(req, csrfTokenRequired));
    enforce(
      routeDecision(principal, {
        scopes: this.reflector.getAllAndOverride<ApiScope[] | undefined>(REQUIRED_SCOPES, targets),
        roles: this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets),
        vendorWide: this.reflector.getAllAndOverride<boolean | undefined>(VENDOR_WIDE, targets),
      }),
    );
    req.principal = principal;
    this.tenant.setPrincipal(principal);
    return true;
  }

  private async authenticate(req: Request, csrfTokenRequired: boolean): Promise<Principal> {
    const apiKey = apiKeyOf(req);
    if (apiKey !== undefined) return this.apiKeys.authenticate(apiKey);
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token !== 'string' || !token) {
      throw new AppError('auth.unauthenticated', 'Send an API key (Authorization: Bearer …) or log in');
    }
    const principal = await this.sessions.authenticate(token);
    // After authentication, so a stale cookie still answers 401 (log in again) rather than 403.
    this.csrf.assert(req, token, { originCheck: !csrfTokenRequired });
    return principal;
  }
}

function apiKeyOf(req: Request): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  const authorization = req.headers.authorization;
  if (!authorization) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  return match ? match[1].trim() : '';
}
