import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { toString as qrSvg } from 'qrcode';
import { AppError } from '../../common/errors/app-error';
import { SecurityEvents } from '../../common/security-events/security-events';
import { asVendorId } from '../../database/vendor-id';
import { LoginThrottleRepository, ThrottlePolicy } from '../sessions/login-throttle.repository';
import { MfaRepository, MfaState } from './mfa.repository';
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import { SessionKeys } from './session-keys';
import { acceptedTotpStep, newTotpSecret, totpUri } from './totp';

const SECRET_PURPOSE = 'totp secret';
const DEVICE_PURPOSE = 'mfa remembered device';
/** "Remember this device" lasts at most this long (issue 15: ≤ 24 h). */
export const REMEMBER_DEVICE_SECONDS = 24 * 60 * 60;
/** Wrong second factors per account: 5 within 15 minutes lock the second step for 15 minutes. */
const MFA_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export interface Enrolment {
  /** Base32, for typing into the app by hand. */
  secret: string;
  uri: string;
  /** The QR code of `uri`, an SVG made on the server (no script, no third party). */
  qrSvg: string;
}

/**
 * The TOTP second factor (RFC 6238) and its recovery codes. Failures and enrolments are audited with the user id
 * and outcome only, never a code or secret.
 */
@Injectable()
export class MfaService {
  private readonly logger = new Logger(MfaService.name);

  constructor(
    private readonly repository: MfaRepository,
    private readonly keys: SessionKeys,
    private readonly throttle: LoginThrottleRepository,
    private readonly audit: SecurityEvents,
  ) {}

  /** The pending secret (kept across reloads of the page, so a code already scanned stays valid), or a new one. */
  async beginEnrolment(userId: string): Promise<Enrolment> {
    const state = await this.stateOf(userId);
    if (state.enabled) throw new AppError('auth.mfa_already_enrolled', 'Two-step sign-in is already set up');
    // A pending secret that no longer opens (changed in the database, or SESSION_SECRET rotated) is simply replaced:
    // nothing relies on it until the first code confirms it.
    let secret = state.sealedSecret ? this.tryOpenSecret(state.sealedSecret, userId) : undefined;
    if (!secret) {
      secret = newTotpSecret();
      await this.repository.startEnrolment(userId, this.keys.seal(SECRET_PURPOSE, secret, userId));
    }
    const uri = totpUri(secret, state.email);
    return { secret, uri, qrSvg: await qrSvg(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
  }

  /** Confirms with a first code; returns the recovery codes, shown once. */
  async confirmEnrolment(userId: string, code: string): Promise<string[]> {
    const state = await this.stateOf(userId);
    if (state.enabled) throw new AppError('auth.mfa_already_enrolled', 'Two-step sign-in is already set up');
    const secret = state.sealedSecret ? this.tryOpenSecret(state.sealedSecret, userId) : undefined;
    const step = secret ? acceptedTotpStep(secret, code.trim(), null) : undefined;
    if (step === undefined) {
      await this.recordFailure(state, 'enrolment');
      throw invalidCode();
    }
    const codes = newRecoveryCodes();
    if (!(await this.repository.confirmEnrolment(userId, step, codes.map(recoveryCodeHash)))) throw invalidCode();
    await this.audit.recordSecurityEvent({ type: 'auth.mfa_enrolled', vendorId: vendorOf(state), details: { userId, method: 'totp' } });
    return codes;
  }

  /**
   * Enrols a new secret without a first code, for the demo seed only (its users are made by a script, and their
   * secrets are published in demo.json). Returns the secret; no recovery codes.
   */
  async enrolWithSecret(userId: string): Promise<string> {
    const secret = newTotpSecret();
    await this.repository.startEnrolment(userId, this.keys.seal(SECRET_PURPOSE, secret, userId));
    await this.repository.confirmEnrolment(userId, 0, []);
    return secret;
  }

  /** The second step of a sign-in: a current TOTP code, or one unused recovery code. */
  async verify(userId: string, input: string): Promise<'totp' | 'recovery_code'> {
    const state = await this.stateOf(userId);
    const throttleKey = createHash('sha256').update(`mfa|${userId}`).digest('hex');
    const lock = await this.throttle.state(throttleKey, 0);
    if (lock.lockedForSeconds > 0) {
      throw new AppError('auth.too_many_attempts', 'Too many wrong codes; try again later', { retryAfterSeconds: lock.lockedForSeconds });
    }
    const code = input.replace(/\s/g, '');
    let method: 'totp' | 'recovery_code' | undefined;
    if (state.enabled && state.sealedSecret && /^\d{6}$/.test(code)) {
      const secret = this.tryOpenSecret(state.sealedSecret, userId);
      if (secret === undefined) throw await this.unreadableSecret(state);
      const step = acceptedTotpStep(secret, code, state.lastStep);
      if (step !== undefined && (await this.repository.acceptStep(userId, step))) method = 'totp';
    } else if (state.enabled && looksLikeRecoveryCode(code)) {
      if (await this.repository.useRecoveryCode(userId, recoveryCodeHash(code))) method = 'recovery_code';
    }
    if (!method) {
      await this.throttle.recordFailure(throttleKey, MFA_THROTTLE);
      await this.recordFailure(state, 'sign_in');
      throw invalidCode();
    }
    await this.throttle.recordSuccess(throttleKey);
    await this.audit.recordSecurityEvent({
      type: 'auth.mfa_verified',
      vendorId: vendorOf(state),
      details: { userId, method, ...(method === 'recovery_code' ? { recoveryCodesLeft: state.recoveryCodesLeft - 1 } : {}) },
    });
    return method;
  }

  /** The value of the "remember this device" cookie: user, expiry and the user's device epoch, MACed. */
  async rememberDevice(userId: string, now = new Date()): Promise<{ value: string; expiresAt: Date }> {
    const state = await this.stateOf(userId);
    const expiresAt = new Date(now.getTime() + REMEMBER_DEVICE_SECONDS * 1000);
    const payload = `${userId}.${Math.floor(expiresAt.getTime() / 1000)}.${state.rememberEpoch}`;
    return { value: `${payload}.${this.keys.mac(DEVICE_PURPOSE, payload)}`, expiresAt };
  }

  /** Whether the cookie proves this user passed the second factor on this device within the last 24 hours. */
  async isRememberedDevice(userId: string, cookie: unknown, now = new Date()): Promise<boolean> {
    if (typeof cookie !== 'string') return false;
    const parts = cookie.split('.');
    if (parts.length !== 4 || parts[0] !== userId) return false;
    const [, expires, epoch, mac] = parts;
    if (!this.keys.macMatches(DEVICE_PURPOSE, parts.slice(0, 3).join('.'), mac)) return false;
    if (Number(expires) * 1000 <= now.getTime()) return false;
    const state = await this.repository.state(userId);
    return !!state?.enabled && String(state.rememberEpoch) === epoch;
  }

  forgetDevices(userId: string): Promise<void> {
    return this.repository.forgetDevices(userId);
  }

  /** The TOTP secret, or undefined when it no longer opens (its column changed, or the key it was sealed with is gone). */
  private tryOpenSecret(sealed: string, userId: string): string | undefined {
    try {
      return this.keys.open(SECRET_PURPOSE, sealed, userId);
    } catch {
      return undefined;
    }
  }

  /**
   * An enrolled secret that does not open is not the user's mistake and no code can pass: a security event (it may
   * have been tampered with) and one warn line, user id only, then a specific refusal that points to a recovery code
   * or support. Not charged as a wrong code.
   */
  private async unreadableSecret(state: MfaState): Promise<AppError> {
    this.logger.warn({ event: 'auth.mfa_secret_unreadable', userId: state.userId }, 'stored second-factor secret cannot be opened');
    await this.audit.recordSecurityEvent({ type: 'auth.mfa_secret_unreadable', vendorId: vendorOf(state), details: { userId: state.userId } });
    return new AppError(
      'auth.mfa_unavailable',
      'Your authenticator code cannot be checked for this account. Sign in with one of your recovery codes, or contact support to reset two-step sign-in.',
    );
  }

  private async stateOf(userId: string): Promise<MfaState> {
    const state = await this.repository.state(userId);
    if (!state) throw new AppError('auth.unauthenticated', 'The session is invalid or has expired');
    return state;
  }

  private async recordFailure(state: MfaState, during: 'enrolment' | 'sign_in'): Promise<void> {
    await this.audit.recordSecurityEvent({ type: 'auth.mfa_failed', vendorId: vendorOf(state), details: { userId: state.userId, during } });
  }
}

const vendorOf = (state: MfaState) => (state.vendorId ? asVendorId(state.vendorId) : undefined);

function invalidCode(): AppError {
  return new AppError('auth.invalid_mfa_code', 'That code is not valid. Enter the 6-digit code your app shows now, or a recovery code.');
}
