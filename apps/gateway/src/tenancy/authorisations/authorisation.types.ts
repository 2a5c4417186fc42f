import { z } from 'zod';

export const AUTHORISATION_STATUSES = ['pending', 'active', 'suspended', 'revoked', 'expired'] as const;
export type AuthorisationStatus = (typeof AUTHORISATION_STATUSES)[number];

const isoDate = z.iso.date();

export const createAuthorisationSchema = z
  .strictObject({ startDate: isoDate, endDate: isoDate.nullable().optional() })
  .refine((a) => !a.endDate || a.endDate >= a.startDate, { message: 'Must not be before startDate', path: ['endDate'] });
export type CreateAuthorisationInput = z.output<typeof createAuthorisationSchema>;

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
