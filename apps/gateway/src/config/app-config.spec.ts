import { ConfigError, loadConfig } from './app-config';

const BASE = { DATABASE_URL: 'postgres://usi_gateway_app@db:5432/usi' };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('applies defaults and derives the migration URL from DATABASE_URL', () => {
    const config = loadConfig(BASE);
    expect(config).toMatchObject({
      port: 3000,
      nodeEnv: 'development',
      usi: { env: 'sim', serviceVersion: 'v5' },
      database: { url: BASE.DATABASE_URL, migrationUrl: BASE.DATABASE_URL, appRole: 'usi_gateway_app' },
      demoSeed: false,
      secureCookies: false,
    });
  });

  it('lists every bad variable at once, by name, without echoing values', () => {
    const err = (() => {
      try {
        loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', USI_ENV: 'staging', MASTER_KEY: '', SESSION_SECRET: 'hunter2' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.code).toBe('config.invalid');
    const names = err!.problems.map((p) => p.split(':')[0]).sort();
    expect(names).toEqual(['DATABASE_URL', 'MASTER_KEY', 'PORT', 'SESSION_SECRET', 'USI_ENV']);
    expect(err!.message).toContain('Invalid configuration');
    expect(err!.message).not.toContain('hunter2');
  });

  it('reports a missing DATABASE_URL', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
  });

  it('requires a session secret in production and then sets Secure cookies', () => {
    expect(problemsOf({ ...BASE, NODE_ENV: 'production' })).toEqual(['SESSION_SECRET: required when NODE_ENV=production']);
    const config = loadConfig({ ...BASE, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) });
    expect(config.secureCookies).toBe(true);
  });

  it('parses optional settings', () => {
    const config = loadConfig({
      ...BASE,
      DATABASE_MIGRATION_URL: 'postgres://postgres@db:5432/usi',
      REDIS_URL: 'redis://cache:6379',
      USI_ENV: '3pt',
      DEMO_SEED: 'true',
      KMS_KEY_ID: 'alias/usi',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      port: 8080,
      redisUrl: 'redis://cache:6379',
      usi: { env: '3pt' },
      demoSeed: true,
      keys: { kmsKeyId: 'alias/usi' },
      database: { migrationUrl: 'postgres://postgres@db:5432/usi' },
    });
  });

  it('USI_SERVICE_VERSION selects a known web-service version; a draft only with the simulator', () => {
    expect(loadConfig({ ...BASE, USI_ENV: '3pt', USI_SERVICE_VERSION: 'v5' }).usi.serviceVersion).toBe('v5');
    expect(loadConfig({ ...BASE, USI_SERVICE_VERSION: 'v6' }).usi).toMatchObject({ env: 'sim', serviceVersion: 'v6' });
    expect(problemsOf({ ...BASE, USI_SERVICE_VERSION: 'v9' })).toEqual(['USI_SERVICE_VERSION: must be one of v5, v6']);
    expect(problemsOf({ ...BASE, USI_ENV: 'production', USI_SERVICE_VERSION: 'v6' })).toEqual([
      expect.stringMatching(/^USI_SERVICE_VERSION: v6 is a draft .* only be used with USI_ENV=sim$/),
    ]);
    // AppliesTo stays its own setting, whatever the version.
    expect(loadConfig({ ...BASE, USI_SERVICE_VERSION: 'v6', USI_APPLIES_TO: 'https://x/v5' }).usi.appliesTo).toBe('https://x/v5');
  });
});
