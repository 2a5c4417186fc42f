import type { VendorId } from '../../database/vendor-id';

/** Every event a vendor may subscribe an endpoint to (issue 18). */
export const WEBHOOK_EVENT_TYPES = [
  'verification_job.completed',
  'verification_job.failed',
  'creation_job.completed',
  'authorisation.activated',
  'authorisation.revoked',
  'authorisation.expired',
  'credential.expiring',
  'credential.expired',
  'credential.activated',
  'connection_test.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

type WebhookScalar = string | number | boolean | null;
/** Ids, counts, statuses, org codes and links only (one level of grouping, e.g. `counts`, `links`): never personal data. */
export type WebhookEventData = Record<string, WebhookScalar | Record<string, WebhookScalar>>;

export interface EmitOptions {
  /** Emitted once per vendor and key, however often the same fact is noticed (calendar sweeps, retries). */
  dedupeKey?: string;
}

/**
 * The port through which features (tenancy, credentials, expiry, connection tests, jobs) announce events to the
 * vendor's webhook endpoints; the webhooks module provides it. `emit` never throws and never waits for a delivery: it
 * records the event for each subscribed endpoint and hands the deliveries to the queue. Callers emit after their own
 * transaction has committed, so a webhook problem can neither roll back nor slow down the change it reports.
 */
export abstract class WebhookEvents {
  abstract emit(vendorId: VendorId, type: WebhookEventType, data: WebhookEventData, options?: EmitOptions): Promise<void>;
}
