import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export interface PairState {
  /** Seconds until this (account, address) pair may try again; 0 when it is not locked. */
  lockedForSeconds: number;
  /** The pair has signed in successfully within `knownForDays`: the owner's own address, most likely. */
  known: boolean;
}

/**
 * Per (account, address) state, keyed by a hash of the email and the client address. Failure counters live in
 * Postgres so a lock survives restarts and holds across instances; a successful sign-in clears them and marks the
 * pair as known.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly tx: TenantTransaction) {}

  state(key: string, knownForDays: number): Promise<PairState> {
    return this.tx.runUnscoped(async (m) => {
      const [row] = await m.query(
        `select greatest(0, ceil(extract(epoch from locked_until - now())))::int as seconds,
                coalesce(last_success_at > now() - make_interval(days => $2), false) as known
         from login_attempts where key = $1`,
        [key, knownForDays],
      );
      return { lockedForSeconds: row?.seconds ?? 0, known: row?.known ?? false };
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

  /** Clears the pair's failures and remembers it as known. */
  async recordSuccess(key: string): Promise<void> {
    await this.tx.runUnscoped((m) =>
      m.query(
        `insert into login_attempts as a (key, failures, window_started_at, last_success_at) values ($1, 0, now(), now())
         on conflict (key) do update set failures = 0, window_started_at = now(), locked_until = null, last_success_at = now()`,
        [key],
      ),
    );
  }
}
