import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { AUDIT_APPEND_SQL, AuditAppendPool } from '@gateway/audit/audit-append.pool';

/** One committed (or rolled back) unit of work as the gateway sent it: an explicit transaction or one autocommit statement. */
export interface CountedTransaction {
  statements: string[];
}

export interface TransactionCounter {
  /** Transactions finished since the last `reset()`. */
  readonly finished: CountedTransaction[];
  reset(): void;
  restore(): void;
}

type Query = (this: PostgresQueryRunner, sql: string, ...rest: unknown[]) => Promise<unknown>;
type Append = AuditAppendPool['append'];

const BEGIN = /^\s*(START TRANSACTION|BEGIN)\b/i;
const END = /^\s*(COMMIT|ROLLBACK)\s*$/i;

/**
 * Wraps TypeORM's Postgres query runner and the audit trail's own pool (every gateway query goes through one of them)
 * to group statements into the transactions Postgres sees; each audit-pool append is one autocommit statement. Tests pair it with `pg_stat_database.xact_commit` so a query path that bypasses
 * TypeORM would show up as a mismatch rather than go uncounted.
 */
export function countTransactions(): TransactionCounter {
  const proto = PostgresQueryRunner.prototype as unknown as { query: Query };
  const original = proto.query;
  const open = new WeakMap<PostgresQueryRunner, string[]>();
  const finished: CountedTransaction[] = [];
  proto.query = function (this: PostgresQueryRunner, sql: string, ...rest: unknown[]) {
    if (BEGIN.test(sql)) open.set(this, []);
    else if (END.test(sql)) {
      finished.push({ statements: open.get(this) ?? [] });
      open.delete(this);
    } else {
      const current = open.get(this);
      if (current) current.push(sql);
      else finished.push({ statements: [sql] });
    }
    return original.call(this, sql, ...rest);
  };
  const pool = AuditAppendPool.prototype as { append: Append };
  const originalAppend = pool.append;
  pool.append = function (this: AuditAppendPool, ...args: Parameters<Append>) {
    finished.push({ statements: [AUDIT_APPEND_SQL] });
    return originalAppend.apply(this, args);
  };
  return {
    finished,
    reset: () => void finished.splice(0),
    restore: () => {
      proto.query = original;
      pool.append = originalAppend;
    },
  };
}

/** Anything that reads or writes the audit tables belongs to the audit trail. */
export function isAudit(t: CountedTransaction): boolean {
  return t.statements.some((s) => /audit/i.test(s));
}

export function summarise(list: CountedTransaction[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of list) {
    const key = t.statements.map((s) => s.replace(/\s+/g, ' ').trim().slice(0, 90)).join(' ; ');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
