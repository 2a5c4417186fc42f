import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { App } from 'supertest/types';
import { ApiKeyService } from '@gateway/auth/api-keys/api-key.service';
import { AppModule } from '@gateway/app.module';
import { GatewayExpressAdapter } from '@gateway/common/http/gateway-express.adapter';
import { loadConfig } from '@gateway/config/app-config';
import { asVendorId } from '@gateway/database/vendor-id';
import { VendorService } from '@gateway/tenancy/vendors/vendor.service';
import { randomAbn } from '../../../support/abn';
import { testAppEnv } from '../../../support/gateway-app';
import type { TestDatabase } from '../../../support/test-database';
import { ProbeModule } from './probe.controller';

export interface ProbeApp {
  app: NestExpressApplication;
  http: App;
  close(): Promise<void>;
}

/** The real gateway modules plus the probe routes, connected as the application role to `db`. */
export async function createProbeApp(db: TestDatabase, env: Record<string, string> = {}): Promise<ProbeApp> {
  const config = loadConfig({
    ...testAppEnv(),
    DATABASE_URL: db.appUrl,
    DATABASE_MIGRATION_URL: db.ownerUrl,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ProbeModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new GatewayExpressAdapter(), { logger: false });
  await app.init();
  return { app, http: app.getHttpServer(), close: () => app.close() };
}

/** A vendor and an API key for it, created through the real services. */
export async function newVendorWithKey(app: NestExpressApplication): Promise<{ vendorId: string; key: string }> {
  const vendor = await app.get(VendorService).create({ name: `Probe vendor ${randomAbn()}`, abn: randomAbn() });
  const created = await app
    .get(ApiKeyService)
    .create(asVendorId(vendor.id), { name: 'probe', scopes: ['usi:write'], organisationIds: null, expiresAt: null }, 'test');
  return { vendorId: vendor.id, key: created.key };
}
