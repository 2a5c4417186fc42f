import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

/** Root `migrations/` folder: `.ts` under jest, compiled `.js` under `dist/`. */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', '..', 'migrations', '*.{ts,js}');

export const MIGRATIONS_TABLE = 'typeorm_migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
  };
}
