import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every gateway instance caches API-key principals and organisation access for a few seconds; these triggers
 * `pg_notify('usi_gateway_cache', '<kind>:<id>')` on the changes that must end such a cache entry, whoever makes
 * them (API, expiry sweep, connection test, a DBA). Notifications are sent at commit, and only identifiers travel.
 * Authorisation changes are reported as their organisation's (the unit the gateway caches). `last_used_at` alone
 * does not notify: it changes on use, not on revocation.
 */
export class CacheInvalidationTriggers1796310000000 implements MigrationInterface {
  name = 'CacheInvalidationTriggers1796310000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE FUNCTION notify_cache_invalidation() RETURNS trigger
       LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
       DECLARE
         changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
       BEGIN
         PERFORM pg_notify('usi_gateway_cache', TG_ARGV[0] || ':' || (changed ->> TG_ARGV[1]));
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER api_keys_cache_invalidation AFTER UPDATE ON api_keys FOR EACH ROW
       WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
       EXECUTE FUNCTION notify_cache_invalidation('api_key', 'id')`,
      `CREATE TRIGGER api_keys_cache_invalidation_delete AFTER DELETE ON api_keys FOR EACH ROW
       EXECUTE FUNCTION notify_cache_invalidation('api_key', 'id')`,
      `CREATE TRIGGER organisations_cache_invalidation AFTER UPDATE OR DELETE ON organisations FOR EACH ROW
       EXECUTE FUNCTION notify_cache_invalidation('organisation', 'id')`,
      `CREATE TRIGGER authorisations_cache_invalidation AFTER INSERT OR UPDATE OR DELETE ON authorisations FOR EACH ROW
       EXECUTE FUNCTION notify_cache_invalidation('organisation', 'organisation_id')`,
      `CREATE TRIGGER vendors_cache_invalidation AFTER UPDATE OR DELETE ON vendors FOR EACH ROW
       EXECUTE FUNCTION notify_cache_invalidation('vendor', 'id')`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['api_keys_cache_invalidation', 'api_keys'],
      ['api_keys_cache_invalidation_delete', 'api_keys'],
      ['organisations_cache_invalidation', 'organisations'],
      ['authorisations_cache_invalidation', 'authorisations'],
      ['vendors_cache_invalidation', 'vendors'],
    ]) {
      await q.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS notify_cache_invalidation()`);
  }
}
