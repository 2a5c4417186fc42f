import { sortRows } from './job-row.checker';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ row: i + 1, fields: { recordId: `r-${i + 1}`, n: i } }));

describe('sortRows', () => {
  it('gives the event loop turns while it checks a large upload, instead of holding it for the whole of it', async () => {
    let checked = 0;
    let checkedAtFirstTurn: number | undefined;
    setImmediate(() => (checkedAtFirstTurn = checked));
    const { sendable } = await sortRows(rows(5_000), (fields) => {
      checked += 1;
      return { value: fields, reasons: [] };
    });
    expect(sendable).toHaveLength(5_000);
    expect(checkedAtFirstTurn).toBeGreaterThan(0);
    expect(checkedAtFirstTurn).toBeLessThan(5_000);
  });

  it('finds a duplicate recordId across those turns, and reports every reason of a row', async () => {
    const input = rows(3_000);
    input[2_499] = { row: 2_500, fields: { recordId: 'r-1', n: -1 } };
    const { sendable, rejected } = await sortRows(input, (fields) => ((fields.n as number) < 0 ? { reasons: ['n: negative'] } : { value: fields, reasons: [] }));
    expect(sendable).toHaveLength(2_999);
    expect(rejected).toEqual([{ row: 2_500, recordId: 'r-1', reasons: ['recordId: duplicate_record_id', 'n: negative'] }]);
  });
});
