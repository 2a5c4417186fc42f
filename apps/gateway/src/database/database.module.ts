import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { dataSourceOptions } from './data-source-options';
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
        extra: { max: 10, application_name: 'usi-gateway' },
      }),
    }),
  ],
  providers: [TenantTransaction, RlsRoleCheck],
  exports: [TenantTransaction],
})
export class DatabaseModule {}
