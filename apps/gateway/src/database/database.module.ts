import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { dataSourceOptions } from './data-source-options';
import { ListenedPgClient } from './listened-pg-client';
import { RlsRoleCheck } from './rls-role.check';
import { TenantTransaction } from './tenant-transaction.service';

/** The app connects with `DATABASE_URL` (a role without BYPASSRLS); migrations never run from here. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database.url),
        migrations: [],
        autoLoadEntities: true,
        // Deadlines for the database like every other outbound call: a statement Postgres cancels after
        // statementTimeoutMs (including time spent waiting for a lock), a pooled connection waited for at most
        // acquireTimeoutMs. Either surfaces as 503 database.unavailable instead of a request that never ends.
        extra: {
          // Every connection listens for its own `error` events (see ListenedPgClient): one lost while checked out
          // must fail its request, not end the process.
          Client: ListenedPgClient,
          max: 10,
          application_name: 'usi-gateway',
          statement_timeout: config.database.statementTimeoutMs,
          connectionTimeoutMillis: config.database.acquireTimeoutMs,
        },
      }),
    }),
  ],
  providers: [TenantTransaction, RlsRoleCheck],
  exports: [TenantTransaction, RlsRoleCheck],
})
export class DatabaseModule {}
