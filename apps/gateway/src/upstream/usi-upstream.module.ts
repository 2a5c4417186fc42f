import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { USI_UPSTREAM, UsiUpstream } from './usi-upstream';

/**
 * The one upstream (client, token cache, breakers) of this instance, shared by the USI routes and the credential
 * lifecycle (which proves a new credential with a token request and flushes a vendor's tokens when it switches).
 */
@Module({
  providers: [{ provide: USI_UPSTREAM, inject: [APP_CONFIG], useFactory: (config: AppConfig) => UsiUpstream.fromConfig(config.usi) }],
  exports: [USI_UPSTREAM],
})
export class UsiUpstreamModule implements OnApplicationShutdown {
  constructor(@Inject(USI_UPSTREAM) private readonly upstream: UsiUpstream) {}

  async onApplicationShutdown(): Promise<void> {
    await this.upstream.close();
  }
}
