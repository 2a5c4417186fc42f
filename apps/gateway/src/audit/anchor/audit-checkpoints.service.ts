import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { AUDIT_ANCHOR_STORE, AuditAnchorStore, SignedCheckpoint } from './audit-anchor.store';
import { CheckpointSigner } from './checkpoint-signer';

/**
 * Every `config.audit.checkpointIntervalMs` (default 5 min), a signed checkpoint (chain, seq, head hash, time) of each
 * chain that moved since the last one, written to the anchor store outside the database. What a superuser deletes
 * from the end of a chain after its last checkpoint is the one thing the verifier cannot see: the period is that window.
 * Scheduled like AuditMaintenance (lifecycle hooks, an unref'd timer cleared on shutdown), re-armed only after a run
 * finishes so runs never overlap; `checkpointAll()` is the whole job, for a job queue to call instead.
 */
@Injectable()
export class AuditCheckpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  // Nest's Logger is routed to pino by the app; @InjectPinoLogger depends on module import order.
  private readonly logger = new Logger(AuditCheckpoints.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The head last anchored per chain by this process, so an idle chain is not checkpointed again. */
  private readonly anchored = new Map<string, string>();

  constructor(
    private readonly tx: TenantTransaction,
    private readonly signer: CheckpointSigner,
    @Inject(AUDIT_ANCHOR_STORE) private readonly store: AuditAnchorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
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

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.checkpointAll()
        .then((written) => written.length && this.logger.log({ checkpoints: written.length }, 'audit chains checkpointed'))
        .catch((err: unknown) => this.logger.error({ err }, 'audit checkpoint failed'))
        .finally(() => this.schedule());
    }, this.config.audit.checkpointIntervalMs).unref();
  }
}
