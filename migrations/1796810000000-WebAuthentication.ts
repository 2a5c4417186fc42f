import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The web app's sign-in (issue 15): a TOTP second factor and one-time recovery codes per user, single-use password
 * reset links, and sessions that know whether their second factor was passed and when they were last used.
 * All on existing tenant tables (their RLS policies apply); secrets are stored encrypted (TOTP) or hashed (codes, links).
 * - `users.totp_secret`: AES-256-GCM envelope (MfaSecretBox), set at enrolment start; `totp_enabled_at` once confirmed.
 * - `users.totp_last_step`: the last accepted 30-second step, so a code is never accepted twice.
 * - `users.recovery_code_hashes`: SHA-256 of each unused code; a used code is removed from the array.
 * - `users.password_reset_hash`/`_expires_at`: one outstanding link (a new request replaces it; use clears it).
 * - `sessions.mfa_pending`: a web sign-in that has passed the password only; no API or data page accepts it.
 * - `sessions.mfa_verified_at`: when this session passed its second factor. `last_seen_at`: for the idle timeout.
 */
export class WebAuthentication1796810000000 implements MigrationInterface {
  name = 'WebAuthentication1796810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users
      ADD COLUMN totp_secret text,
      ADD COLUMN totp_enabled_at timestamptz,
      ADD COLUMN totp_last_step bigint,
      ADD COLUMN recovery_code_hashes text[] NOT NULL DEFAULT '{}',
      ADD COLUMN password_reset_hash char(64),
      ADD COLUMN password_reset_expires_at timestamptz,
      ADD COLUMN mfa_remember_epoch integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE UNIQUE INDEX users_password_reset_hash_key ON users (password_reset_hash) WHERE password_reset_hash IS NOT NULL`);
    await q.query(`ALTER TABLE sessions
      ADD COLUMN mfa_pending boolean NOT NULL DEFAULT false,
      ADD COLUMN mfa_verified_at timestamptz,
      ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP COLUMN IF EXISTS mfa_pending, DROP COLUMN IF EXISTS mfa_verified_at, DROP COLUMN IF EXISTS last_seen_at`);
    await q.query(`DROP INDEX IF EXISTS users_password_reset_hash_key`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS totp_secret, DROP COLUMN IF EXISTS totp_enabled_at,
      DROP COLUMN IF EXISTS totp_last_step, DROP COLUMN IF EXISTS recovery_code_hashes,
      DROP COLUMN IF EXISTS password_reset_hash, DROP COLUMN IF EXISTS password_reset_expires_at,
      DROP COLUMN IF EXISTS mfa_remember_epoch`);
  }
}
