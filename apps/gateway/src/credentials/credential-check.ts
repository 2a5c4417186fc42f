import { Inject, Injectable, Optional } from '@nestjs/common';
import { UsiError, type MachineCredential } from '@usi/contract';
import { UsiClientError } from '@usi/client';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import { mapUpstreamError } from '../upstream/upstream-error.mapper';
import { USI_UPSTREAM, UsiUpstream } from '../upstream/usi-upstream';
import type { CredentialCheck } from './m2m-credential.entity';

/**
 * Proves a credential with the ATO before it may serve: a first-party token request (the credential's own ABN, no
 * ActAs, this environment's AppliesTo). A refusal is stored with the credential as the code the upstream error
 * mapper gives it plus the reason in plain words; nothing is thrown for an upstream answer.
 */
@Injectable()
export class CredentialChecker {
  private readonly now: Clock;

  constructor(
    @Inject(USI_UPSTREAM) private readonly upstream: UsiUpstream,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? systemClock;
  }

  async check(credential: MachineCredential): Promise<CredentialCheck> {
    const at = this.now();
    try {
      await this.upstream.requestFirstPartyToken(credential);
      return { at: at.toISOString(), ok: true };
    } catch (err) {
      return { at: at.toISOString(), ok: false, ...describeCheckFailure(err, credential, at) };
    }
  }
}

type Failure = Required<Pick<CredentialCheck, 'code' | 'reason' | 'message'>> & Pick<CredentialCheck, 'upstream'>;

const STILL_SERVING = 'The credential stays pending and the current one keeps serving.';

/**
 * The failure as the upstream error mapper codes it, explained for the person who uploaded the keystore. Errors
 * that are not upstream answers (a bug, the database) are rethrown.
 */
export function describeCheckFailure(err: unknown, credential: Pick<MachineCredential, 'abn' | 'notAfter'>, at: Date): Failure {
  const mapped = mapUpstreamError(err, { guidance: { vendorAbn: credential.abn, softwareId: '', steps: [] } });
  if (!(mapped instanceof UsiError)) throw err;
  const upstream = mapped instanceof AppError ? (mapped.extensions?.upstream as Failure['upstream']) : undefined;
  const said = err instanceof UsiClientError ? `${String(err.details?.subcode ?? '')} ${String(err.details?.reason ?? err.message)}` : '';
  const base = { code: mapped.code, ...(upstream ? { upstream } : {}) };

  if (credential.notAfter.getTime() <= at.getTime()) {
    return { ...base, reason: 'expired', message: `The certificate expired on ${credential.notAfter.toISOString()}. Upload a renewed credential. ${STILL_SERVING}` };
  }
  // A refused timestamp is coded upstream.clock_skew, but it is the clock's fault, not the service's availability.
  if (mapped.code.startsWith('upstream.') && mapped.code !== 'upstream.clock_skew') {
    return {
      ...base,
      reason: 'unavailable',
      message:
        `The ATO token service is unavailable or did not answer properly (${mapped.message}), so the credential could not be checked. ` +
        `Nothing is known to be wrong with it. ${STILL_SERVING} Retry the check later.`,
    };
  }
  if (/FailedAuthentication/i.test(said)) {
    return {
      ...base,
      reason: 'certificate_not_accepted',
      message:
        'The ATO token service did not accept the certificate: it is not trusted in this environment, or it has been revoked or has expired at the ATO. ' +
        "Check in the ATO's Relationship Authorisation Manager (RAM) that this machine credential exists and is current, and that the keystore is for this environment " +
        `(a test keystore is refused in production and the reverse). ${STILL_SERVING}`,
    };
  }
  if (/MessageExpired|timestamp/i.test(said)) {
    return {
      ...base,
      reason: 'clock_skew',
      message:
        "The ATO token service refused the request's timestamp: this gateway's clock and the ATO's differ by more than the allowed skew. " +
        `Correct the server's time (NTP), then retry the check. ${STILL_SERVING}`,
    };
  }
  if (/FailedCheck/i.test(said)) {
    return {
      ...base,
      reason: 'signature_refused',
      message: `The ATO token service could not verify the request's signature made with this key. ${STILL_SERVING}`,
    };
  }
  if (/InvalidScope/i.test(said)) {
    return {
      ...base,
      reason: 'environment_mismatch',
      message: `The ATO token service does not know the USI service address (AppliesTo) this gateway is configured for; check USI_ENV and USI_APPLIES_TO. ${STILL_SERVING}`,
    };
  }
  return { ...base, reason: 'refused', message: `The ATO token service refused the credential: ${mapped.message}. ${STILL_SERVING}` };
}
