import { queryAs } from '../../../support/test-database';

/**
 * `count` delivered events to one endpoint, written straight into the tables (as the owner) a second apart, the last
 * one now: for reading the delivery log page by page without sending that many webhooks. Ids oldest first.
 */
export async function seedDeliveries(ownerUrl: string, vendorId: string, endpointId: string, count: number): Promise<string[]> {
  const rows = await queryAs<{ id: string; at: number }>(
    ownerUrl,
    `with ev as (
       insert into webhook_events (vendor_id, type, body, created_at)
       select $1, 'credential.expiring', '{}', date_trunc('milliseconds', now()) - make_interval(secs => $3 - g)
         from generate_series(1, $3) g
       returning id, created_at)
     insert into webhook_deliveries (vendor_id, endpoint_id, event_id, status, attempts, created_at)
     select $1, $2, id, 'succeeded', 1, created_at from ev
     returning id, extract(epoch from created_at)::float8 as at`,
    [vendorId, endpointId, count],
  );
  return rows.sort((a, b) => a.at - b.at).map((r) => r.id);
}
