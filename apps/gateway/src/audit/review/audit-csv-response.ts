import { once } from 'node:events';
import type { Response } from 'express';
import type { Principal } from '../../common/request-context/principal';
import { csvHeader, csvRows } from './audit-csv';
import type { AuditFilterQuery } from './audit-filter';
import type { AuditReviewService } from './audit-review.service';

/**
 * Streams every event the search matches as `audit.csv`, one batch at a time with backpressure (no row limit in
 * memory): the API's export and the support console's. The status and headers go out with the first batch, so a
 * refused search (scope, unknown organisation) still becomes an error response.
 */
export async function sendAuditCsv(review: AuditReviewService, principal: Principal, query: AuditFilterQuery, res: Response): Promise<void> {
  let started = false;
  const start = () => res.status(200).type('text/csv').setHeader('Content-Disposition', 'attachment; filename="audit.csv"');
  await review.export(principal, query, async (batch) => {
    if (!started) {
      started = true;
      start();
      res.write(csvHeader());
    }
    await writeWithBackpressure(res, csvRows(batch));
  });
  if (!started) start();
  res.end(started ? undefined : csvHeader());
}

/** Waits for `drain` when the socket buffer is full; a client that hangs up ends the export with an error. */
async function writeWithBackpressure(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) throw new Error('client disconnected during export');
  if (res.write(chunk)) return;
  const ac = new AbortController();
  try {
    await Promise.race([
      once(res, 'drain', { signal: ac.signal }),
      once(res, 'close', { signal: ac.signal }).then(() => {
        throw new Error('client disconnected during export');
      }),
    ]);
  } finally {
    ac.abort();
  }
}
