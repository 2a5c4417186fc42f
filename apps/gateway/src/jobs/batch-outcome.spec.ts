import { batchOutcome } from './batch-outcome';

describe('batchOutcome', () => {
  const rowOf = (a: { row: number; status: string }) => a.row;
  const outcomeOf = (a: { row: number; status: string }) => a.status;

  it('counts each row once per outcome, ignores answers for rows not in the batch, and fails rows left unanswered', () => {
    const answers = [
      { row: 1, status: 'Valid' },
      { row: 1, status: 'Invalid' },
      { row: 2, status: 'Invalid' },
      { row: 9, status: 'Valid' },
    ];
    expect(batchOutcome([1, 2, 3], answers, rowOf, outcomeOf)).toEqual({ answered: 2, failedRows: 1, outcomes: { Valid: 1, Invalid: 1 } });
  });

  it('a batch without answers fails every row', () => {
    expect(batchOutcome<{ row: number; status: string }>([4, 5], undefined, rowOf, outcomeOf)).toEqual({ answered: 0, failedRows: 2, outcomes: {} });
  });
});
