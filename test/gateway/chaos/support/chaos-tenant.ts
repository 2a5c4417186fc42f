import { randomBytes } from 'node:crypto';
import type { TestCa } from '@usi/keystore';
import { DemoSeedService } from '@gateway/bootstrap/demo-seed.service';
import { loadConfig } from '@gateway/config/app-config';
import { createApp } from '@gateway/create-app';
import { appRoleUrl, migrate } from '@gateway/database/migrate';

const APP_ROLE = 'usi_gateway_app';

export interface ChaosTenant {
  /** Owner (superuser) URL, for migrations and for reading the audit trail. */
  ownerUrl: string;
  /** The application role's URL, as the gateway connects. */
  appUrl: string;
  /** Shared by the seeding app and the gateway process, so the credential envelope opens in both. */
  masterKey: string;
  apiKey: string;
  orgCode: string;
}

/**
 * Migrates the private database and seeds the demo tenant (the identities the simulator's registry already knows:
 * vendor, organisation VA1802, an active authorisation, a credential issued by the simulator's CA, an all-scopes API
 * key) through the real services, in this process, before the gateway process starts.
 */
export async function seedChaosTenant(ownerUrl: string, simulator: { url: string; ca: TestCa }): Promise<ChaosTenant> {
  await migrate({ migrationUrl: ownerUrl, appRole: APP_ROLE });
  const appUrl = appRoleUrl(ownerUrl, APP_ROLE);
  const masterKey = randomBytes(32).toString('base64');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: appUrl,
    DATABASE_MIGRATION_URL: ownerUrl,
    USI_ENV: 'sim',
    USI_SIM_URL: simulator.url,
    MASTER_KEY: masterKey,
  });
  const app = await createApp(config);
  try {
    const info = await DemoSeedService.fromApp(app).seed({ baseUrl: 'http://unused', ca: simulator.ca });
    return { ownerUrl, appUrl, masterKey, apiKey: info.apiKey, orgCode: info.orgCode };
  } finally {
    await app.close();
  }
}
