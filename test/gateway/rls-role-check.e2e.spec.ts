import { Logger } from '@nestjs/common';
import { loadConfig } from '@gateway/config/app-config';
import { createApp } from '@gateway/create-app';
import { appRoleUrl } from '@gateway/database/migrate';
import { testAppEnv } from '../support/gateway-app';
import { createTestDatabase, queryAs, TestDatabase } from '../support/test-database';

const BYPASS_ROLE = 'usi_gateway_bypass_test';

describe('start-up refuses a connection role that bypasses row-level security', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Roles are cluster-wide and test files run in parallel: create once, tolerate the race.
    await queryAs(db.ownerUrl, `DO $$ BEGIN CREATE ROLE ${BYPASS_ROLE} LOGIN NOSUPERUSER BYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await queryAs(db.ownerUrl, `GRANT CONNECT ON DATABASE ${db.name} TO ${BYPASS_ROLE}`);
  });
  afterAll(() => db.drop());
  afterEach(() => jest.restoreAllMocks());

  const start = (databaseUrl: string, extra: Record<string, string> = {}) =>
    createApp(loadConfig({ ...testAppEnv(), DATABASE_URL: databaseUrl, ...extra }));

  it('fails fast with a readable message when connected as a superuser', async () => {
    const error = await start(db.ownerUrl).then(
      (app) => app.close().then(() => undefined),
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'database.rls_bypass_role', details: { superuser: true } });
    expect((error as Error).message).toMatch(/Refusing to start.*is a superuser.*ALLOW_RLS_BYPASS=true/s);
  });

  it('fails fast when the role has BYPASSRLS without being a superuser', async () => {
    await expect(start(appRoleUrl(db.ownerUrl, BYPASS_ROLE))).rejects.toMatchObject({
      code: 'database.rls_bypass_role',
      details: { role: BYPASS_ROLE, superuser: false, bypassRls: true },
    });
  });

  it('starts with ALLOW_RLS_BYPASS=true and logs a loud warning', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const app = await start(db.ownerUrl, { ALLOW_RLS_BYPASS: 'true' });
    await app.close();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ALLOW_RLS_BYPASS=true.*NOT enforced/s));
  });

  it('starts silently as the application role', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const app = await start(db.appUrl);
    await app.close();
    expect(warn).not.toHaveBeenCalledWith(expect.stringContaining('ALLOW_RLS_BYPASS'));
  });
});
