import type { NestExpressApplication } from '@nestjs/platform-express';
import type { App } from 'supertest/types';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ApiKeyService, CreatedApiKey } from '@gateway/auth/api-keys/api-key.service';
import { UserService } from '@gateway/auth/users/user.service';
import { User } from '@gateway/auth/users/user.types';
import { ApiScope, UserRole } from '@gateway/common/request-context/principal';
import { AppConfig, loadConfig } from '@gateway/config/app-config';
import { createApp } from '@gateway/create-app';
import { asVendorId } from '@gateway/database/vendor-id';
import { OrganisationRepository } from '@gateway/tenancy/organisations/organisation.repository';
import { CreateOrganisationInput, Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { VendorService } from '@gateway/tenancy/vendors/vendor.service';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import type { Clock } from '@gateway/common/clock';
import { randomAbn } from './abn';
import { checkResponsesAgainstDocument } from './openapi-contract';
import { createTestDatabase, TestDatabase } from './test-database';

const unique = () => randomBytes(4).toString('hex');

/** Builders that go through the real services (hashing, RLS), for e2e suites to arrange state quickly. */
export interface GatewayFactories {
  newVendor(overrides?: Partial<{ name: string; abn: string }>): Promise<Vendor>;
  newOrganisation(vendorId: string, overrides?: Partial<CreateOrganisationInput>): Promise<Organisation>;
  newApiKey(
    vendorId: string,
    options?: { scopes?: ApiScope[]; organisationIds?: string[] | null; expiresAt?: Date },
  ): Promise<CreatedApiKey>;
  newUser(options: {
    vendorId: string | null;
    roles: UserRole[];
    organisationId?: string | null;
  }): Promise<User & { password: string }>;
  /** Logs in through the API and returns the `Cookie` header value to send. */
  login(email: string, password: string): Promise<string>;
  /** Logs in and returns what a browser page sends on writes: the cookie and the session's CSRF token. */
  session(email: string, password: string): Promise<SessionHeaders>;
}

export type SessionHeaders = { Cookie: string; 'X-CSRF-Token': string };

export interface GatewayTestApp extends GatewayFactories {
  app: NestExpressApplication;
  /** Pass to `request(http)`. */
  http: App;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The local master key of every app this process creates (apps in one test share sealed data, as one deployment). */
const TEST_MASTER_KEY = randomBytes(32).toString('base64');

/**
 * What every test app's configuration starts from: quiet, and its files outside the working tree (the development
 * defaults are ./.data/master.key and ./.data/audit-anchors).
 */
export function testAppEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Each app its own anchor store: the platform chain has the same id in every test database, and a checkpoint
    // another app signed with its own key would not verify here.
    AUDIT_ANCHOR_DIR: mkdtempSync(join(tmpdir(), 'usi-anchors-')),
    MASTER_KEY: TEST_MASTER_KEY,
  };
}

/** A gateway on a fresh, migrated database, connected as the application role like production. */
export async function createGatewayApp(options: { env?: Record<string, string | undefined>; clock?: Clock } = {}): Promise<GatewayTestApp> {
  const db = await createTestDatabase();
  try {
    const config = loadConfig({ ...testAppEnv(), DATABASE_URL: db.appUrl, DATABASE_MIGRATION_URL: db.ownerUrl, ...options.env });
    const app = await createApp(config, { clock: options.clock });
    const http = app.getHttpServer();
    await checkResponsesAgainstDocument(app, http);
    return {
      app,
      http,
      config,
      db,
      ...factories(app, http),
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

function factories(app: NestExpressApplication, http: App): GatewayFactories {
  return {
    newVendor: (overrides = {}) =>
      app.get(VendorService).create({ name: `Vendor ${unique()}`, abn: randomAbn(), ...overrides }),
    newOrganisation: (vendorId, overrides = {}) =>
      app.get(OrganisationRepository).create(asVendorId(vendorId), {
        orgCode: `ORG${unique().toUpperCase()}`,
        abn: randomAbn(),
        legalName: `Provider ${unique()}`,
        kind: 'RTO',
        ...overrides,
      }),
    newApiKey: (vendorId, options = {}) =>
      app.get(ApiKeyService).create(
        asVendorId(vendorId),
        {
          name: `key ${unique()}`,
          scopes: options.scopes ?? ['admin'],
          organisationIds: options.organisationIds ?? null,
          expiresAt: options.expiresAt ?? null,
        },
        'test',
      ),
    newUser: async ({ vendorId, roles, organisationId }) => {
      const password = `pw-${randomBytes(12).toString('base64url')}`;
      const user = await app
        .get(UserService)
        .create({ vendorId, organisationId, roles, email: `user-${unique()}@example.test`, password });
      return { ...user, password };
    },
    login: async (email, password) => (await loginThrough(http, email, password)).Cookie,
    session: (email, password) => loginThrough(http, email, password),
  };
}

async function loginThrough(http: App, email: string, password: string): Promise<SessionHeaders> {
  const res = await request(http).post('/v1/auth/login').send({ email, password }).expect(200);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0];
  if (!cookie) throw new Error('login set no cookie');
  return { Cookie: cookie.split(';')[0], 'X-CSRF-Token': String(res.body.csrfToken) };
}
