import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../../common/errors/app-error';
import { clientAddressKey } from '../../common/http/client-address';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { RATE_LIMIT_STORE, RateLimitStore } from '../../rate-limit/rate-limit.types';
import { SESSION_COOKIE } from '../sessions/session-cookie';

const WINDOW_MS = 60_000;
/** Codes that mean "the credential presented was wrong" (not "none was presented", not "locked"). */
const FAILURE_CODES: ReadonlySet<string> = new Set(['auth.unauthenticated', 'auth.invalid_api_key', 'auth.invalid_credentials', 'auth.invalid_mfa_code']);
/** Beyond this many blocked addresses held, expired ones are swept on the next block. */
const SWEEP_ABOVE = 10_000;

/**
 * Limits failed authentication per client address: every wrong API key, session cookie or password is charged to a
 * GCRA bucket of RATE_LIMIT_AUTH_FAILURES_PER_MINUTE in the shared rate-limit store (Redis or Postgres, the same as
 * the vendor limits), so the limit holds across instances. When the store refuses a charge the address is blocked
 * on this instance until the store says it may try again: from then on every request from it that needs
 * authentication is answered 429 `auth.too_many_failures` with `Retry-After` before any credential is looked up,
 * so a flood of bad keys costs a map lookup each instead of a key lookup and an audit row.
 *
 * Another instance learns of the block at its next failure from that address (its charge is refused too); until
 * then it may look up one more wrong credential. Successes and requests that present no credential are not
 * charged. A store that fails or is slow lets the request through (logged), as the vendor limits do. Clients behind
 * one NAT share an address and therefore a budget; TRUST_PROXY decides what the address is.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly logger = new Logger(FailedAuthLimiter.name);
  /** Address key → when (epoch ms) this instance stops refusing it. */
  private readonly blocked = new Map<string, number>();
  private readonly limit: number;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limit = config.rateLimit.authFailuresPerMinute;
  }

  /**
   * Runs `authenticate` for `req` unless its address is blocked; a failure is charged to the address when a
   * credential was presented (`presented`: an API key or session cookie by default; the login route passes true,
   * its credential is in the body), and the charge that goes over the limit turns the 401 into a 429.
   */
  async authenticate<T>(req: Request, authenticate: () => Promise<T>, presented = presentsCredential(req)): Promise<T> {
    const address = clientAddressKey(req.ip);
    this.refuseIfBlocked(address);
    try {
      return await authenticate();
    } catch (err) {
      if (presented && err instanceof AppError && FAILURE_CODES.has(err.code)) await this.charge(address);
      throw err;
    }
  }

  private refuseIfBlocked(address: string, now = Date.now()): void {
    const until = this.blocked.get(address);
    if (until === undefined) return;
    if (until <= now) {
      this.blocked.delete(address);
      return;
    }
    throw tooManyFailures(until - now);
  }

  private async charge(address: string): Promise<void> {
    let decision;
    try {
      decision = await this.store.take([{ key: `{auth-failures:${address}}`, limit: this.limit, name: 'auth_failures' }], WINDOW_MS);
    } catch (err) {
      this.logger.warn({ msg: 'failed-authentication limit store unavailable; failure not counted', err, store: this.store.kind });
      return;
    }
    if (decision.allowed) return;
    const now = Date.now();
    if (this.blocked.size > SWEEP_ABOVE) for (const [key, until] of this.blocked) if (until <= now) this.blocked.delete(key);
    const retryAfterMs = Math.max(1_000, decision.retryAfterMs);
    this.blocked.set(address, now + retryAfterMs);
    throw tooManyFailures(retryAfterMs);
  }
}

/** An API key (either header) or a session cookie: something that was checked and found wrong. */
function presentsCredential(req: Request): boolean {
  if (req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined) return true;
  const cookie: unknown = req.cookies?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie !== '';
}

function tooManyFailures(retryAfterMs: number): AppError {
  return new AppError('auth.too_many_failures', 'Too many failed authentications from this address; try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}
