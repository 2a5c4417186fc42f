import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../../common/errors/app-error';
import { ApiScope, Principal, UserRole } from '../../common/request-context/principal';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { ApiKeyService } from '../api-keys/api-key.service';
import { FailedAuthLimiter } from '../failed-auth/failed-auth.limiter';
import { SESSION_COOKIE } from '../sessions/session-cookie';
import { SessionService } from '../sessions/session.service';
import { REQUIRED_ROLES, REQUIRED_SCOPES } from './access.decorator';
import { AuthenticatedRequest } from './current-principal.decorator';
import { IS_PUBLIC } from './public.decorator';

/**
 * The one global guard: every route needs a principal unless marked `@Public()`. An API key wins over a
 * cookie so automation never acts with a browser session by accident.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
    private readonly tenant: TenantContext,
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const principal = await this.failedAuth.authenticate(req, () => this.authenticate(req));
    const scopes = this.reflector.getAllAndOverride<ApiScope[] | undefined>(REQUIRED_SCOPES, targets);
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets);
    if (!isAllowed(principal, scopes, roles)) {
      throw new AppError('auth.forbidden_scope', 'Your key or account is not allowed to do this', {
        ...(scopes ? { requiredScopes: scopes } : {}),
        ...(roles ? { requiredRoles: roles } : {}),
      });
    }
    req.principal = principal;
    this.tenant.setPrincipal(principal);
    return true;
  }

  private authenticate(req: Request): Promise<Principal> {
    const apiKey = apiKeyOf(req);
    if (apiKey !== undefined) return this.apiKeys.authenticate(apiKey);
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string' && token) return this.sessions.authenticate(token);
    throw new AppError('auth.unauthenticated', 'Send an API key (Authorization: Bearer …) or log in');
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

function isAllowed(p: Principal, scopes?: ApiScope[], roles?: UserRole[]): boolean {
  if (!scopes && !roles) return true;
  if (p.kind === 'api_key') return !!scopes && scopes.every((s) => p.scopes.includes(s));
  return !!roles && roles.some((r) => p.roles.includes(r));
}
