import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AUDIT_ANCHOR_STORE, AuditAnchorStore } from '@gateway/audit/anchor/audit-anchor.store';
import { AUDIT_CHECKPOINTS_JOB } from '@gateway/audit/anchor/audit-checkpoints.service';
import { AuditService } from '@gateway/audit/audit.service';
import { EMPTY_AUDIT_FIELDS } from '@gateway/audit/audit.types';
import { asVendorId } from '@gateway/database/vendor-id';
import { MAINTENANCE_QUEUE } from '@gateway/queue/scheduled-jobs.service';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';

/**
 * The audit checkpoints run as a queue job scheduler (once per period across instances), not as a per-instance timer:
 * the scheduler exists with AUDIT_CHECKPOINT_INTERVAL_MS as its period, and its jobs write a signed checkpoint of a
 * chain that moved to the anchor store, with no call from the test.
 */
describe('audit checkpoints on the queue', () => {
  const PERIOD_MS = 1000;
  let gw: GatewayTestApp;
  let anchorDir: string;

  beforeAll(async () => {
    anchorDir = mkdtempSync(join(tmpdir(), 'audit-anchors-'));
    gw = await createGatewayApp({ env: { AUDIT_ANCHOR_DIR: anchorDir, AUDIT_CHECKPOINT_INTERVAL_MS: String(PERIOD_MS) } });
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(anchorDir, { recursive: true, force: true });
  });

  it('registers the audit-checkpoints scheduler with the configured period', async () => {
    const client = new Client({ connectionString: gw.db.ownerUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ every_ms: string }>(
        `select every_ms from bullmq.scheduler where queue = $1 and scheduler_id = $2`,
        [MAINTENANCE_QUEUE, AUDIT_CHECKPOINTS_JOB],
      );
      expect(rows.map((r) => Number(r.every_ms))).toEqual([PERIOD_MS]);
    } finally {
      await client.end();
    }
  });

  it('its jobs anchor the head of a chain that moved', async () => {
    const vendorId = (await gw.newVendor()).id;
    const org = await gw.newOrganisation(vendorId);
    const chainId = `org:${org.id}`;
    for (let n = 1; n <= 2; n++) {
      await gw.app.get(AuditService).append({
        ...EMPTY_AUDIT_FIELDS,
        vendorId: asVendorId(vendorId),
        organisationId: org.id,
        category: 'exchange',
        type: 'completed',
        operation: 'VerifyUSI',
        outcome: 'completed',
        httpStatus: 200,
        details: { n },
      });
    }
    const store = gw.app.get<AuditAnchorStore>(AUDIT_ANCHOR_STORE);
    // Polls (a few periods at most); the assertion is on what was written, never on when.
    const deadline = Date.now() + 20 * PERIOD_MS;
    let reading = await store.latest(chainId);
    while (!reading.checkpoint && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      reading = await store.latest(chainId);
    }
    expect(reading.problems).toEqual([]);
    expect(reading.checkpoint).toMatchObject({ chainId, seq: 2 });
  }, 40_000);
});
