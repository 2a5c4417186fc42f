import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each platform alert was last raised, so that an alert raised by several gateway instances at once (e.g. the
 * registry refusing the web-service version, ErrorInfo 3458) is recorded at most once per period: the instance whose
 * conditional upsert returns the row raises it. Not tenant data: no vendor column, no RLS.
 */
export class PlatformAlerts1796710000000 implements MigrationInterface {
  name = 'PlatformAlerts1796710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE platform_alerts (alert text PRIMARY KEY, last_raised_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform_alerts`);
  }
}
