import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

/** Failure counters live in Postgres so a lock survives restarts and holds across instances. */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Seconds until the key may try again; 0 when it is not locked. */
  lockedForSeconds(key: string): Promise<number> {
    return this.tx.runUnscoped(async (m) => {
      const [row] = await m.query(
        `select ceil(extract(epoch from locked_until - now()))::int as seconds
         from login_attempts where key = $1 and locked_until > now()`,
        [key],
      );
      return row?.seconds ?? 0;
    });
  }

  async recordFailure(key: string, policy: ThrottlePolicy): Promise<void> {
    await this.tx.runUnscoped(async (m) => {
      await m.query(
        `insert into login_attempts as a (key, failures, window_started_at) values ($1, 1, now())
         on conflict (key) do update set
           failures = case when a.window_started_at < now() - make_interval(secs => $2) then 1 else a.failures + 1 end,
           window_started_at = case when a.window_started_at < now() - make_interval(secs => $2)
                                    then now() else a.window_started_at end`,
        [key, policy.windowSeconds],
      );
      await m.query(
        `update login_attempts set locked_until = now() + make_interval(secs => $3), failures = 0, window_started_at = now()
         where key = $1 and failures >= $2`,
        [key, policy.maxFailures, policy.lockSeconds],
      );
    });
  }

  async clear(key: string): Promise<void> {
    await this.tx.runUnscoped((m) => m.query(`delete from login_attempts where key = $1`, [key]));
  }
}
