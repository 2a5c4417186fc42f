import { Global, Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { IdempotencyPurgeJob } from './idempotency-purge.job';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { ResponseSealer } from './response-sealer';

/** Global so `@Idempotent()` resolves its interceptor from any feature module. */
@Global()
@Module({
  imports: [KeysModule],
  providers: [ResponseSealer, IdempotencyRepository, IdempotencyService, IdempotencyInterceptor, IdempotencyPurgeJob],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
