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

  it('checkpoints the audit chains every 5 minutes into a local folder unless an S3 bucket is named', () => {
    expect(loadConfig(BASE).audit).toMatchObject({ checkpointIntervalMs: 300_000, anchorDir: './.data/audit-anchors', anchorS3: undefined });
    const aws = loadConfig({ ...BASE, AUDIT_ANCHOR_S3_BUCKET: 'usi-audit-anchors', AUDIT_CHECKPOINT_INTERVAL_MS: '60000' }).audit;
    expect(aws).toMatchObject({ checkpointIntervalMs: 60_000, anchorS3: { bucket: 'usi-audit-anchors', prefix: 'audit-anchors/', retentionDays: 2557 } });
    expect(problemsOf({ ...BASE, AUDIT_CHECKPOINT_INTERVAL_MS: '10', AUDIT_ANCHOR_S3_BUCKET: 'Bad_Bucket' }).map((p) => p.split(':')[0]).sort()).toEqual([
      'AUDIT_ANCHOR_S3_BUCKET',
      'AUDIT_CHECKPOINT_INTERVAL_MS',
    ]);
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
    expect(problemsOf({ ...BASE, NODE_ENV: 'production', METRICS_PORT: '9464' })).toEqual(['SESSION_SECRET: required when NODE_ENV=production']);
    const config = loadConfig({ ...BASE, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), METRICS_PORT: '9464' });
    expect(config.secureCookies).toBe(true);
  });

  it('validates the webhook settings: https only in production, where the loopback flag is refused', () => {
    expect(loadConfig(BASE).webhooks).toMatchObject({ requireHttps: false, allowLoopback: false, timeoutMs: 10_000, retry: { maxAttempts: 8 } });
    expect(loadConfig({ ...BASE, WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhooks.allowLoopback).toBe(true);
    const production = { ...BASE, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), METRICS_PORT: '9464' };
    expect(loadConfig(production).webhooks).toMatchObject({ requireHttps: true, allowLoopback: false });
    expect(problemsOf({ ...production, WEBHOOK_ALLOW_LOOPBACK: 'true' })).toEqual([
      'WEBHOOK_ALLOW_LOOPBACK: a development and test flag; not allowed when NODE_ENV=production',
    ]);
    expect(problemsOf({ ...BASE, WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_MAX_ATTEMPTS: '0' }).map((p) => p.split(':')[0]).sort()).toEqual([
      'WEBHOOK_MAX_ATTEMPTS',
      'WEBHOOK_TIMEOUT_MS',
    ]);
  });

  describe('TRUST_PROXY', () => {
    it('trusts no proxy by default: X-Forwarded-For is ignored, even from loopback', () => {
      expect(loadConfig(BASE).trustProxy).toBe(false);
      expect(loadConfig({ ...BASE, TRUST_PROXY: 'none' }).trustProxy).toBe(false);
      expect(loadConfig({ ...BASE, TRUST_PROXY: '' }).trustProxy).toBe(false);
    });

    it('takes a hop count or a list of addresses, CIDR ranges and named ranges', () => {
      expect(loadConfig({ ...BASE, TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(loadConfig({ ...BASE, TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
      expect(loadConfig({ ...BASE, TRUST_PROXY: '10.0.0.0/8, 172.16.0.0/12,fd00::/8, 192.0.2.7, uniquelocal' }).trustProxy).toEqual([
        '10.0.0.0/8',
        '172.16.0.0/12',
        'fd00::/8',
        '192.0.2.7',
        'uniquelocal',
      ]);
    });

    it.each(['true', 'all', '11', 'proxy.internal', '10.0.0.0/33', '10.0.0.1/8/1', 'loopback,', '::1/129'])('refuses %s', (value) => {
      expect(problemsOf({ ...BASE, TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
    });
  });

  describe('metrics', () => {
    it('serves /metrics openly on the API port outside production', () => {
      expect(loadConfig(BASE).metrics).toEqual({ port: undefined, host: '0.0.0.0', token: undefined });
    });

    it('requires METRICS_PORT or METRICS_TOKEN in production, with every other problem', () => {
      expect(problemsOf({ ...BASE, NODE_ENV: 'production' })).toEqual([
        'SESSION_SECRET: required when NODE_ENV=production',
        expect.stringMatching(/^METRICS_PORT: .*METRICS_TOKEN/),
      ]);
      const production = { ...BASE, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) };
      expect(loadConfig({ ...production, METRICS_PORT: '9464', METRICS_HOST: '127.0.0.1' }).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
      expect(loadConfig({ ...production, METRICS_TOKEN: 't'.repeat(32) }).metrics).toMatchObject({ token: 't'.repeat(32) });
    });

    it('refuses a short token without echoing it', () => {
      const problems = problemsOf({ ...BASE, METRICS_TOKEN: 'hunter2' });
      expect(problems).toEqual([expect.stringMatching(/^METRICS_TOKEN: /)]);
      expect(problems.join()).not.toContain('hunter2');
    });
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
