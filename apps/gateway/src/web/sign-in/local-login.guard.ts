import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '../../common/errors/app-error';
import { WEB_LOCAL_STRATEGY } from './local.strategy';

/** What the sign-in form shows when passport did not let the user in. */
export interface LoginRefusal {
  /** `missing`: a field left empty; `invalid`: wrong email or password (never which); `throttled`: wait. */
  reason: 'missing' | 'invalid' | 'throttled';
  retryAfterSeconds?: number;
}

export type LocalLoginRequest = { user?: unknown; loginRefusal?: LoginRefusal };

/**
 * Runs the passport strategy but never answers by itself: a refused sign-in is left on the request so the page can
 * show the form again with a message next to the field (an unexpected error still propagates).
 */
@Injectable()
export class LocalLoginGuard extends AuthGuard(WEB_LOCAL_STRATEGY) {
  override handleRequest<TUser>(err: unknown, user: TUser, _info: unknown, context: ExecutionContext): TUser {
    const req = context.switchToHttp().getRequest<LocalLoginRequest>();
    if (err instanceof AppError && err.code.startsWith('auth.')) {
      const retry = err.details?.retryAfterSeconds;
      req.loginRefusal =
        err.code === 'auth.invalid_credentials'
          ? { reason: 'invalid' }
          : { reason: 'throttled', retryAfterSeconds: typeof retry === 'number' ? retry : undefined };
      return undefined as TUser;
    }
    if (err) throw err;
    if (!user) req.loginRefusal = { reason: 'missing' };
    return (user || undefined) as TUser;
  }
}
