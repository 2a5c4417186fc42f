import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { enforce, routeDecision } from '../../common/authorization/access-policy';
import { AuthenticatedRequest } from '../../common/auth/current-principal.decorator';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { SESSION_COOKIE } from '../../auth/sessions/session-cookie';
import { principalOf, SessionService } from '../../auth/sessions/session.service';
import { WebCsrf } from '../forms/web-csrf';
import { WEB_PAGE, WebPageOptions } from './web-page.decorator';
import { WebRedirect } from './web-redirect';
import { WebRequestState } from './web-user';

/**
 * The pages' guard (the API's AuthGuard is skipped for them): form CSRF on every state-changing request, then the
 * session from the cookie and what the page needs of it. Signed out → `/login?next=…`; password passed but no
 * second factor yet → the second step (`/login/mfa`), or enrolment (`/mfa/setup`) for a user without one; a role
 * the page does not admit → 403 from the access policy, as on the API.
 */
@Injectable()
export class WebSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly csrf: WebCsrf,
    private readonly tenant: TenantContext,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & WebRequestState & AuthenticatedRequest>();
    const options = this.reflector.getAllAndOverride<Required<Pick<WebPageOptions, 'access'>> & WebPageOptions>(WEB_PAGE, [
      context.getHandler(),
      context.getClass(),
    ]);
    this.csrf.assert(req);

    const token: unknown = req.cookies?.[SESSION_COOKIE];
    const session = typeof token === 'string' && token ? await this.sessions.inspect(token) : undefined;
    if (session && typeof token === 'string') {
      req.webSession = { ...session, token };
      const mfaVerified = !session.mfaPending && session.mfaVerifiedAt !== null;
      req.webUser = {
        id: session.userId,
        email: session.email,
        roles: session.roles,
        vendorId: session.vendorId,
        organisationId: session.organisationId,
        mfaVerified,
        mfaEnrolled: session.mfaEnrolled,
        principal: principalOf(session),
      };
    }
    if (options.access === 'anyone') return true;
    if (!session) throw new WebRedirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    if (options.access === 'password') return true;

    if (!req.webUser!.mfaVerified) throw new WebRedirect(session.mfaEnrolled ? '/login/mfa' : '/mfa/setup');
    const principal = req.webUser!.principal;
    if (options.roles) enforce(routeDecision(principal, { roles: options.roles }));
    req.principal = principal;
    this.tenant.setPrincipal(principal);
    return true;
  }
}
