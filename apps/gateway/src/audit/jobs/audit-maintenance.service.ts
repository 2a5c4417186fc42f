import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { AuditService } from '../audit.service';
import { AuditQueryRepository } from '../review/audit-query.repository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Partitions exist this many months ahead, so a missed daily run never leaves an insert without a partition. */
const MONTHS_AHEAD = 2;

/**
 * Daily: create next months' partitions, drop partitions past retention (itself audited), and write every chain
 * head to the log, so a later rewrite of history by someone with database access no longer matches the log.
 */
@Injectable()
export class AuditMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  // Nest's Logger is routed to pino by the app; @InjectPinoLogger depends on module import order.
  private readonly logger = new Logger(AuditMaintenance.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AuditQueryRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runDaily(), DAY_MS).unref();
    void this.ensurePartitions().catch((err: unknown) => this.logger.error({ err }, 'audit partitions not created'));
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async runDaily(): Promise<void> {
    for (const step of [() => this.ensurePartitions(), () => this.dropExpiredPartitions(), () => this.logChainHeads()]) {
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

  async logChainHeads(): Promise<{ chainId: string; seq: number; hash: string }[]> {
    const heads = await this.queries.chainHeads();
    this.logger.log({ auditChainHeads: heads, at: new Date().toISOString() }, 'audit chain heads');
    return heads;
  }
}
