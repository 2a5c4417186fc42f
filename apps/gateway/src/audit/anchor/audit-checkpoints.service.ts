import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { ScheduledJobs } from '../../queue/scheduled-jobs.service';
import { AUDIT_ANCHOR_STORE, AuditAnchorStore, SignedCheckpoint } from './audit-anchor.store';
import { CheckpointSigner } from './checkpoint-signer';

/**
 * Every `config.audit.checkpointIntervalMs` (default 5 min), a signed checkpoint (chain, seq, head hash, time) of each
 * chain that moved since the last one, written to the anchor store outside the database. What a superuser deletes
 * from the end of a chain after its last checkpoint is the one thing the verifier cannot see: the period is that window.
 * Scheduled like AuditMaintenance: a queue job scheduler (`audit-checkpoints`, ScheduledJobs), so one worker runs it
 * once per period whatever the number of instances, and a run never overlaps the next (one maintenance job at a time
 * per worker; the next job is produced only after the period). A run on another worker than last time may re-anchor an
 * unchanged head (its `anchored` map is per process): harmless, the verifier reads the latest checkpoint.
 */
export const AUDIT_CHECKPOINTS_JOB = 'audit-checkpoints';

@Injectable()
export class AuditCheckpoints implements OnModuleInit {
  // Nest's Logger is routed to pino by the app; @InjectPinoLogger depends on module import order.
  private readonly logger = new Logger(AuditCheckpoints.name);
  /** The head last anchored per chain by this process, so an idle chain is not checkpointed again. */
  private readonly anchored = new Map<string, string>();

  constructor(
    private readonly tx: TenantTransaction,
    private readonly signer: CheckpointSigner,
    @Inject(AUDIT_ANCHOR_STORE) private readonly store: AuditAnchorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduled: ScheduledJobs,
  ) {}

  onModuleInit(): void {
    this.scheduled.register(AUDIT_CHECKPOINTS_JOB, this.config.audit.checkpointIntervalMs, () => this.run());
  }

  /** Checkpoints every chain whose head moved since this process last anchored it; returns what was written. */
  async checkpointAll(): Promise<SignedCheckpoint[]> {
    const heads: { chainId: string; seq: string; hash: string; keyedFrom: string | null }[] = await this.tx.runInPlatformScope(
      'audit: chain checkpoints',
      (m) => m.query(`select chain_id as "chainId", seq, hash, keyed_from as "keyedFrom" from audit_chain_heads where seq > 0 order by chain_id`),
    );
    const at = new Date().toISOString();
    const checkpoints = heads
      .filter((h) => this.anchored.get(h.chainId) !== `${h.seq}:${h.hash}`)
      .map((h) =>
        this.signer.sign({
          chainId: h.chainId,
          seq: Number(h.seq),
          hash: h.hash,
          at,
          keyedFrom: h.keyedFrom === null ? null : Number(h.keyedFrom),
        }),
      );
    await this.store.append(checkpoints);
    for (const c of checkpoints) this.anchored.set(c.chainId, `${c.seq}:${c.hash}`);
    return checkpoints;
  }

  /** The scheduled job: a failure is logged and the next period tries again (the chain heads only move forward). */
  async run(): Promise<number> {
    try {
      const written = await this.checkpointAll();
      if (written.length) this.logger.log({ checkpoints: written.length }, 'audit chains checkpointed');
      return written.length;
    } catch (err) {
      this.logger.error({ err }, 'audit checkpoint failed; retrying next period');
      return 0;
    }
  }
}
