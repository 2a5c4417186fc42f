import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { KEY_PROVIDER } from './key-provider';
import { createKeyProvider } from './key-provider.factory';

/**
 * The key provider (local AES-GCM or AWS KMS envelopes), on its own so that every feature that seals data
 * (credentials, idempotent responses, retained raw exchanges) imports it without importing each other.
 */
@Module({
  providers: [
    {
      provide: KEY_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createKeyProvider({ ...config.keys, production: config.nodeEnv === 'production' }),
    },
  ],
  exports: [KEY_PROVIDER],
})
export class KeysModule {}
