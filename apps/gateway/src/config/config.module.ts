import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, CLOCK } from '../common/clock';
import { AppConfig } from './app-config';
import { APP_CONFIG } from './app-config.token';

@Global()
@Module({})
export class ConfigModule {
  /** `clock`: provided as CLOCK to every service that takes one (tests drive time with it); absent = the system clock. */
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    const providers = [{ provide: APP_CONFIG, useValue: config }, ...(clock ? [{ provide: CLOCK, useValue: clock }] : [])];
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
