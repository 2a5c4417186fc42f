import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { ScheduledJobs } from '../../queue/scheduled-jobs.service';
import { AuditService } from '../audit.service';
import { RawExchangePurge, RawExchangeService } from '../raw/raw-exchange.service';
import { AuditQueryRepository } from '../review/audit-query.repository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Partitions exist this many months ahead, so a missed daily run never leaves an insert without a partition. */
const MONTHS_AHEAD = 2;

/**
 * Daily, once across instances (a queue job scheduler): create next months' partitions, drop partitions past retention and expired raw exchanges (both audited), and write every chain
 * head to the log, so a later rewrite of history by someone with database access no longer matches the log.
 */
@Injectable()
export class AuditMaintenance implements OnModuleInit, OnApplicationBootstrap {
  // Nest's Logger is routed to pino by the app; @InjectPinoLogger depends on module import order.
  private readonly logger = new Logger(AuditMaintenance.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AuditQueryRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly raw: RawExchangeService,
    private readonly scheduled: ScheduledJobs,
  ) {}

  onModuleInit(): void {
    this.scheduled.register('audit-maintenance', DAY_MS, () => this.runDaily());
  }

  /** Each instance checks at start that this month's partitions exist (idempotent): a fresh database may have none. */
  onApplicationBootstrap(): void {
    void this.ensurePartitions().catch((err: unknown) => this.logger.error({ err }, 'audit partitions not created'));
  }

  async runDaily(): Promise<void> {
    const steps = [() => this.ensurePartitions(), () => this.dropExpiredPartitions(), () => this.purgeRawExchanges(), () => this.logChainHeads()];
    for (const step of steps) {
      await step().catch((err: unknown) => this.logger.error({ err }, 'audit maintenance step failed'));
    }
  }

  async ensurePartitions(): Promise<number> {
    const [{ created }] = await this.dataSource.query(`select audit_ensure_partitions($1) as created`, [MONTHS_AHEAD]);
    return created;
  }

  async dropExpiredPartitions(): Promise<string[]> {
    const months = this.config.audit.retentionMonths;
    const [{ dropped }] = await this.dataSource.query(`select audit_drop_partitions($1) as dropped`, [months]);
    if (dropped.length) {
      await this.audit.recordSecurityEvent({ type: 'audit.partitions_dropped', details: { partitions: dropped, retentionMonths: months } });
    }
    return dropped;
  }

  /** Runs even with retention switched off, so rows kept under an earlier setting still go when they expire. */
  purgeRawExchanges(): Promise<RawExchangePurge> {
    return this.raw.purgeExpired();
  }

  async logChainHeads(): Promise<{ chainId: string; seq: number; hash: string }[]> {
    const heads = await this.queries.chainHeads();
    this.logger.log({ auditChainHeads: heads, at: new Date().toISOString() }, 'audit chain heads');
    return heads;
  }
}
