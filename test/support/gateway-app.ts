import type { NestExpressApplication } from '@nestjs/platform-express';
import type { App } from 'supertest/types';
import { AppConfig, loadConfig } from '../../apps/gateway/src/config/app-config';
import { createApp } from '../../apps/gateway/src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface GatewayTestApp {
  app: NestExpressApplication;
  /** Pass to `request(http)`. */
  http: App;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/** A gateway on a fresh, migrated database, connected as the application role like production. */
export async function createGatewayApp(options: { env?: Record<string, string | undefined> } = {}): Promise<GatewayTestApp> {
  const db = await createTestDatabase();
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.appUrl,
      DATABASE_MIGRATION_URL: db.ownerUrl,
      ...options.env,
    });
    const app = await createApp(config);
    return {
      app,
      http: app.getHttpServer(),
      config,
      db,
      close: async () => {
        await app.close();
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}
