import { z } from 'zod';

export const AUTHORISATION_STATUSES = ['pending', 'active', 'suspended', 'revoked', 'expired'] as const;
export type AuthorisationStatus = (typeof AUTHORISATION_STATUSES)[number];

const isoDate = z.iso.date();

export const createAuthorisationSchema = z
  .strictObject({ startDate: isoDate, endDate: isoDate.nullable().optional() })
  .refine((a) => !a.endDate || a.endDate >= a.startDate, { message: 'Must not be before startDate', path: ['endDate'] });
export type CreateAuthorisationInput = z.output<typeof createAuthorisationSchema>;

/**
 * Activation normally follows a passing connection test. A vendor administrator may force it (for example when the
 * registry is down but the provider has shown its RAM notification), with a reason that goes to the audit trail.
 */
export const activateAuthorisationSchema = z
  .object({ force: z.boolean().optional(), reason: z.string().trim().min(1).max(500).optional() })
  .refine((a) => !a.force || !!a.reason, { message: 'Required when force is true', path: ['reason'] });
export type ActivateAuthorisationInput = z.output<typeof activateAuthorisationSchema>;

/** One run of the connection test of an authorisation, as listed on the RAM step. */
export interface ConnectionTestAttempt {
  id: string;
  softwareId: string;
  testedAt: Date;
  ok: boolean;
  code: string | null;
  /** The registry's own words for a failure (never personal data: the test asks for reference data only). */
  detail: string | null;
  environment: string;
}

export interface Authorisation {
  id: string;
  organisationId: string;
  softwareId: string;
  startDate: string;
  endDate: string | null;
  status: AuthorisationStatus;
  lastTestedAt: Date | null;
  lastTestResult: unknown;
  softwareIdRegeneratedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Which statuses each manual action may start from; anything else is `authorisation.invalid_transition`. */
export const TRANSITIONS = {
  activate: { from: ['pending', 'suspended'], to: 'active' },
  revoke: { from: ['pending', 'active', 'suspended'], to: 'revoked' },
  regenerate: { from: ['pending', 'active', 'suspended'], to: 'pending' },
} as const satisfies Record<string, { from: AuthorisationStatus[]; to: AuthorisationStatus }>;
export type AuthorisationAction = keyof typeof TRANSITIONS;
