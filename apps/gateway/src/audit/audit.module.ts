import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { RESPONSE_AUDITOR } from '../common/request-context/response-auditor';
import { SecurityEvents } from '../common/security-events/security-events';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module';
import { KEY_PROVIDER, KeyProvider } from '../keys/key-provider';
import { AUDIT_ANCHOR_STORE, SignedCheckpoint } from './anchor/audit-anchor.store';
import { AuditCheckpoints } from './anchor/audit-checkpoints.service';
import { CheckpointSigner } from './anchor/checkpoint-signer';
import { FileAuditAnchorStore } from './anchor/file-audit-anchor.store';
import { S3AuditAnchorStore } from './anchor/s3-audit-anchor.store';
import { RlsRoleCheck } from '../database/rls-role.check';
import { loadChainKeyring } from './chain/chain-key.loader';
import { ChainKeyring } from './chain/chain-keyring';
import { loadMasterKey } from '../keys/master-key';
import { AuditAppendPool } from './audit-append.pool';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { PendingAuditEvents } from './exchange/pending-audit-events';
import { AuditQueryRepository } from './review/audit-query.repository';
import { AuditReviewController } from './review/audit-review.controller';
import { AuditReviewService } from './review/audit-review.service';
import { PlatformReadsRecorder } from './review/platform-reads.recorder';
import { AuditMaintenance } from './jobs/audit-maintenance.service';
import { InboundAuditMiddleware } from './inbound/inbound-audit.middleware';
import { InboundAuditRecorder } from './inbound/inbound-audit.recorder';
import { AnonymousFailureAudit } from './inbound/anonymous-failure-audit';
import { RawExchangeController } from './raw/raw-exchange.controller';
import { RawExchangeService } from './raw/raw-exchange.service';
import { RawExchangeStore } from './raw/raw-exchange.store';
import { UsiFingerprinter } from './usi-fingerprint';

/**
 * The audit trail. Features record security events through the `SecurityEvents` port (common/), provided here, so
 * they import this module without depending on its service; the USI module takes `AuditService` for the exchanges.
 */
@Module({
  // For the key provider that seals retained raw exchanges and the chain keys.
  imports: [KeysModule],
  controllers: [AuditReviewController, RawExchangeController],
  providers: [
    {
      provide: UsiFingerprinter,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        UsiFingerprinter.fromConfig(config.audit.hmacKey, () => {
          // A derived key would change with the master key and orphan every stored HMAC: production sets its own.
          if (config.nodeEnv === 'production') {
            throw new Error('AUDIT_HMAC_KEY is required when NODE_ENV=production');
          }
          return loadMasterKey({ ...config.keys, production: false });
        }),
    },
    // Same role as the main pool (config.database.url); closed by its own shutdown hook.
    { provide: AuditAppendPool, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new AuditAppendPool(config.database.url) },
    // Awaited before anything that appends is built: one key-provider call per key at start, none per append.
    {
      provide: ChainKeyring,
      inject: [getDataSourceToken(), KEY_PROVIDER, RlsRoleCheck],
      useFactory: async (dataSource: DataSource, keys: KeyProvider, rls: RlsRoleCheck) => {
        await rls.ensure();
        return loadChainKeyring(dataSource, keys);
      },
    },
    { provide: CheckpointSigner, inject: [ChainKeyring], useFactory: (keys: ChainKeyring) => new CheckpointSigner(keys) },
    {
      provide: AUDIT_ANCHOR_STORE,
      inject: [APP_CONFIG, CheckpointSigner],
      useFactory: (config: AppConfig, signer: CheckpointSigner) => {
        const verify = (c: SignedCheckpoint) => signer.verify(c);
        const s3 = config.audit.anchorS3;
        return s3 ? new S3AuditAnchorStore({ ...s3, region: config.keys.awsRegion }, verify) : new FileAuditAnchorStore(config.audit.anchorDir, verify);
      },
    },
    AuditCheckpoints,
    AuditRepository,
    PendingAuditEvents,
    RawExchangeStore,
    RawExchangeService,
    AuditService,
    AuditQueryRepository,
    AuditReviewService,
    PlatformReadsRecorder,
    AuditMaintenance,
    InboundAuditRecorder,
    AnonymousFailureAudit,
    { provide: RESPONSE_AUDITOR, useExisting: InboundAuditRecorder },
    { provide: SecurityEvents, useExisting: AuditService },
  ],
  // The review services also serve the support console's pages (web/support/), which call them instead of the API.
  exports: [AuditService, SecurityEvents, RESPONSE_AUDITOR, UsiFingerprinter, AuditCheckpoints, AuditReviewService, AuditQueryRepository, PlatformReadsRecorder, RawExchangeService],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(InboundAuditMiddleware).forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
