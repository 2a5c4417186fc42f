import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, CLOCK } from './clock';

/** Provides CLOCK to every service that takes one when tests drive time; absent, those services use the system clock. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock?: Clock): DynamicModule {
    const providers = clock ? [{ provide: CLOCK, useValue: clock }] : [];
    return { module: ClockModule, providers, exports: providers.map((p) => p.provide) };
  }
}
