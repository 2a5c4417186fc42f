/** What one answered (or failed) batch adds to its job's counts. */
export interface BatchOutcome {
  answered: number;
  failedRows: number;
  outcomes: Record<string, number>;
}

/**
 * Counts a batch's answers against its rows: each row answered at most once (an answer for a row not in the batch, or
 * a second answer for a row, is ignored), per outcome; rows without an answer are failed. `answers` undefined: the
 * whole batch failed.
 */
export function batchOutcome<A>(rows: readonly number[], answers: readonly A[] | undefined, rowOf: (a: A) => number, outcomeOf: (a: A) => string): BatchOutcome {
  if (!answers) return { answered: 0, failedRows: rows.length, outcomes: {} };
  const outcomes: Record<string, number> = {};
  const open = new Set(rows);
  let answered = 0;
  for (const a of answers) {
    if (!open.delete(rowOf(a))) continue;
    answered += 1;
    const outcome = outcomeOf(a);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { answered, failedRows: open.size, outcomes };
}
