/**
 * How deliveries reach the queue. `schedule` asks for `deliver(deliveryId)` to run once after `delayMs`; whatever
 * runs it reschedules when the delivery answers `retryInMs`. The delivery rows in Postgres stay the truth (status,
 * attempts, next attempt), so a scheduler only has to run jobs, not remember them.
 */
export interface WebhookDeliveryScheduler {
  schedule(deliveryId: string, delayMs: number): Promise<void>;
}

export const WEBHOOK_DELIVERY_SCHEDULER = Symbol('WEBHOOK_DELIVERY_SCHEDULER');
