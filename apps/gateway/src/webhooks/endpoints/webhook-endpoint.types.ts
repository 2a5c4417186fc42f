import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../common/webhook-events/webhook-events';
import type { Envelope } from '../../keys/key-provider';

const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length);

export const createEndpointSchema = z.strictObject({
  url: z.string().min(8).max(2000),
  eventTypes,
  description: z.string().max(500).optional(),
});
export type CreateEndpointInput = z.output<typeof createEndpointSchema>;

/** `enabled: true` re-enables an endpoint disabled after failing (its failure clock starts again). */
export const updateEndpointSchema = z
  .strictObject({
    url: z.string().min(8).max(2000).optional(),
    eventTypes: eventTypes.optional(),
    description: z.string().max(500).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field to change' });
export type UpdateEndpointInput = z.output<typeof updateEndpointSchema>;

export type EndpointStatus = 'enabled' | 'disabled';

/** A row as stored, envelopes included: never returned by the API. */
export interface EndpointRow {
  id: string;
  vendorId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: EndpointStatus;
  secretEnvelope: Envelope;
  previousSecretEnvelope: Envelope | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the API shows of an endpoint: never a secret (it is shown once, at creation or rotation). */
export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: EndpointStatus;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  /** Until when the previous secret still signs, after a rotation. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function endpointView(row: EndpointRow, now: Date): EndpointView {
  const overlap = row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    status: row.status,
    failingSince: row.failingSince,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: overlap,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
