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

export const STS_INTERNAL_FAULT: FaultSpec = { code: 'Receiver', reason: 'The server was unable to process the request due to an internal error.' };
