import { UsiError } from '@usi/contract';

/**
 * A request the simulator refuses. `code` is stable (`sim.*`); the message is for the simulator's own log and tests,
 * never key material. What goes on the wire is decided by the endpoint (STS and USI word their faults differently).
 */
export class SimError extends UsiError {}

/** Codes the endpoints map to wire faults. */
export const SIM_ERROR = {
  malformed: 'sim.malformed_request',
  badAction: 'sim.bad_action',
  badTo: 'sim.bad_to',
  badTimestamp: 'sim.bad_timestamp',
  badSignature: 'sim.bad_signature',
  untrustedCertificate: 'sim.untrusted_certificate',
  credentialExpired: 'sim.credential_expired',
  credentialSuspended: 'sim.credential_suspended',
  credentialRevoked: 'sim.credential_revoked',
  actAsRefused: 'sim.act_as_refused',
  badAppliesTo: 'sim.bad_applies_to',
  badToken: 'sim.bad_token',
} as const;
