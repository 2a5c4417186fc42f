import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { FailedAuthLimiter } from '../../auth/failed-auth/failed-auth.limiter';
import { SessionService } from '../../auth/sessions/session.service';
import type { LoginCandidate } from '../../auth/users/user.types';

export const WEB_LOCAL_STRATEGY = 'web-local';

/**
 * Passport's local strategy on the existing accounts: email + password checked by SessionService (scrypt, throttled
 * per account and address, owner notified), every failure also charged to the client address (FailedAuthLimiter).
 * No passport session: the gateway's own server-side session is issued by the controller.
 */
@Injectable()
export class WebLocalStrategy extends PassportStrategy(Strategy, WEB_LOCAL_STRATEGY) {
  constructor(
    private readonly sessions: SessionService,
    private readonly failedAuth: FailedAuthLimiter,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(req: Request, email: string, password: string): Promise<LoginCandidate> {
    return this.failedAuth.authenticate(req, () => this.sessions.verifyPassword(email, password, req.ip ?? 'unknown'), true);
  }
}
