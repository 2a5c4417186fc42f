import { SIM_ERROR } from '../errors/sim-error';
import type { FaultSpec } from '../soap/soap-response';


/**
 * How the STS words each refusal. The texts follow WS-Security/WS-Trust fault conventions (the real MAS-ST texts
 * are not public) and are kept stable because clients and tests match on them.
 */
export const STS_FAULTS: Record<string, FaultSpec> = {
  [SIM_ERROR.malformed]: { code: 'Sender', subcode: 'trust:InvalidRequest', reason: 'The request was invalid or malformed.' },
  [SIM_ERROR.badAction]: {
    code: 'Sender',
    subcode: 'a:ActionNotSupported',
    reason: 'The message with Action cannot be processed at the receiver.',
  },
  [SIM_ERROR.badTo]: {
    code: 'Sender',
    subcode: 'a:DestinationUnreachable',
    reason: 'The message with To cannot be processed at the receiver.',
  },
  [SIM_ERROR.badTimestamp]: { code: 'Sender', subcode: 'o:MessageExpired', reason: 'The message has expired.' },
  [SIM_ERROR.badSignature]: { code: 'Sender', subcode: 'o:FailedCheck', reason: 'The signature or decryption was invalid.' },
  [SIM_ERROR.untrustedCertificate]: {
    code: 'Sender',
    subcode: 'o:FailedAuthentication',
    reason: 'The security token could not be authenticated or authorized.',
  },
  // MAS-ST's own texts are not public; E2015 is the AUSkey-era "credential expired" event code (usi-contract.md §7.4).
  [SIM_ERROR.credentialExpired]: {
    code: 'Sender',
    subcode: 'o:FailedAuthentication',
    reason: 'The security token could not be authenticated or authorized. The machine credential has expired. Event Code: [E2015]',
  },
  [SIM_ERROR.credentialSuspended]: {
    code: 'Sender',
    subcode: 'o:FailedAuthentication',
    reason: 'The security token could not be authenticated or authorized. The machine credential has been suspended.',
  },
  [SIM_ERROR.credentialRevoked]: {
    code: 'Sender',
    subcode: 'o:FailedAuthentication',
    reason: 'The security token could not be authenticated or authorized. The machine credential has been revoked.',
  },
  [SIM_ERROR.actAsRefused]: {
    code: 'Sender',
    subcode: 'trust:RequestFailed',
    reason:
      'The specified request failed. There is no cloud software notification in force for this software provider, ' +
      'business and software ID (SSID). Event Code: [E2035]',
  },
  [SIM_ERROR.badAppliesTo]: {
    code: 'Sender',
    subcode: 'trust:InvalidScope',
    reason: 'The relying party specified in the AppliesTo element is not recognised. Event Code: [E2003]',
  },
};

/** The refusals an admin can force with the fault rule `stsFault`, by name. */
export const FORCED_STS_FAULTS = {
  malformed: SIM_ERROR.malformed,
  timestamp: SIM_ERROR.badTimestamp,
  signature: SIM_ERROR.badSignature,
  certificate_untrusted: SIM_ERROR.untrustedCertificate,
  credential_expired: SIM_ERROR.credentialExpired,
  credential_suspended: SIM_ERROR.credentialSuspended,
  credential_revoked: SIM_ERROR.credentialRevoked,
  notification_missing: SIM_ERROR.actAsRefused,
  applies_to_unknown: SIM_ERROR.badAppliesTo,
} as const;

export type ForcedStsFault = keyof typeof FORCED_STS_FAULTS;

export const STS_INTERNAL_FAULT: FaultSpec = { code: 'Receiver', reason: 'The server was unable to process the request due to an internal error.' };
