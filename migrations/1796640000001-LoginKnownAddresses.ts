import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login throttling by (account, address) instead of by account: a `login_attempts` row (keyed by a hash of the email
 * and the client address) now also remembers when that pair last signed in successfully, so that an address the
 * account has used before is not slowed down when strangers pile failures onto the account. `users.locked_until`
 * changes meaning with it (SessionService): no longer a 15-minute lock for everyone after 20 failures, but the time
 * before which unknown addresses may not try again once the account has 10 consecutive failures.
 */
export class LoginKnownAddresses1796640000001 implements MigrationInterface {
  name = 'LoginKnownAddresses1796640000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_attempts ADD COLUMN last_success_at timestamptz`);
    // Old account-wide locks would otherwise keep unknown addresses out for up to 15 minutes after the upgrade.
    // `users` forces RLS on its owner too: the platform scope, for this transaction only.
    await q.query(`SELECT set_config('app.platform_scope', 'on', true)`);
    await q.query(`UPDATE users SET locked_until = NULL WHERE locked_until IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_attempts DROP COLUMN IF EXISTS last_success_at`);
  }
}
