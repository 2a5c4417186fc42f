import { isIP } from 'node:net';
import { z } from 'zod';
import { findServiceVersion, SERVICE_VERSIONS, UsiError } from '@usi/contract';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');

/** Express's named ranges (proxy-addr): 127.0.0.0/8 and ::1, 169.254.0.0/16 and fe80::/10, private and fc00::/7. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `TRUST_PROXY`: whom to believe about the client address in `X-Forwarded-For`; nobody unless configured. */
export type TrustProxy = false | number | string[];

const isProxyAddress = (entry: string): boolean => {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
};

const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): TrustProxy => {
    const value = (v ?? '').trim().toLowerCase();
    if (value === '' || value === 'none' || value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 10) return hops;
    } else if (value !== 'true' && value !== 'all') {
      const entries = value.split(',').map((e) => e.trim());
      if (entries.every(isProxyAddress)) return entries;
    }
    ctx.addIssue({
      code: 'custom',
      message:
        'must be none (the default), a hop count 1-10, or a comma-separated list of proxy addresses, CIDR ranges, ' +
        'loopback, linklocal or uniquelocal; trusting every address would let any client choose its own',
    });
    return z.NEVER;
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: trustProxy,
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: postgresUrl,
  DATABASE_MIGRATION_URL: postgresUrl.optional(),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('usi_gateway_app'),
  ALLOW_RLS_BYPASS: booleanFlag,
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  REDIS_URL: z
    .string()
    .url()
    .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// URL')
    .optional(),
  USI_ENV: z.enum(['sim', '3pt', 'production']).default('sim'),
  USI_SIM_URL: z.string().url().optional(),
  USI_STS_URL: z.string().url().optional(),
  USI_URL: z.string().url().optional(),
  USI_APPLIES_TO: z.string().min(1).optional(),
  USI_SERVICE_VERSION: z
    .string()
    .default('v5')
    .refine((v) => findServiceVersion(v) !== undefined, `must be one of ${SERVICE_VERSIONS.map((v) => v.id).join(', ')}`),
  USI_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  USI_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  USI_RETRY_BASE_MS: z.coerce.number().int().min(1).default(200),
  USI_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
  USI_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(1).default(30_000),
  USI_REFERENCE_TTL_MS: z.coerce.number().int().min(0).default(3_600_000),
  USI_READER_THREADS: z.coerce.number().int().min(0).max(8).default(1),
  KMS_KEY_ID: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).optional(),
  MASTER_KEY_FILE: z.string().min(1).optional(),
  MASTER_KEY: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_HMAC_KEY: z.string().min(1).optional(),
  AUDIT_RETENTION_MONTHS: z.coerce.number().int().min(12).default(84),
  AUDIT_RAW_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  AUDIT_ANCHOR_DIR: z.string().min(1).default('./.data/audit-anchors'),
  AUDIT_ANCHOR_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
  AUDIT_ANCHOR_S3_PREFIX: z.string().max(200).default('audit-anchors/'),
  AUDIT_ANCHOR_S3_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(2_557),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: booleanFlag,
  POSTGRES_BIN_DIR: z.string().min(1).optional(),
  POSTGRES_BIN_SOURCE: z.enum(['auto', 'system', 'npm']).default('auto'),
  USI_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  RATE_LIMIT_VENDOR_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_ORG_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  RATE_LIMIT_REDIS_PREFIX: z.string().min(1).max(100).default('usi-gw:rl:'),
  RATE_LIMIT_LEASE_FRACTION: z.coerce.number().min(0).max(0.1).default(0.01),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  ACCESS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  ACCESS_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  QUEUE_BACKEND: z.enum(['postgres', 'redis']).optional(),
  QUEUE_PREFIX: z.string().regex(/^[a-z_][a-z0-9_]{0,40}$/, 'must be a lower-case identifier').default('usi_gw'),
  QUEUE_ADD_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  JOBS_UPSTREAM_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  JOBS_MAX_RECORDS: z.coerce.number().int().min(1).max(100_000).default(100_000),
  WEBHOOK_ALLOW_LOOPBACK: booleanFlag,
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  WEBHOOK_RETRY_FACTOR: z.coerce.number().min(1).max(10).default(3.5),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(0).max(24 * 30).default(72),
  WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .refine((v) => /^https?:\/\/[^/]+\/?$/.test(v), 'must be an origin like https://gateway.example (no path)')
    .optional(),
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n<>]*<?[^\s@<>]+@[^\s@<>]+>?$/, 'must be an address, optionally with a name: USI Gateway <no-reply@example.com>')
    .default('USI Gateway <no-reply@usi-gateway.invalid>'),
});

export type UsiEnvironmentName = 'sim' | '3pt' | 'production';

export interface AppConfig {
  port: number;
  host: string;
  /** Express `trust proxy`: false (the socket address is the client), a hop count, or the proxies' addresses. */
  trustProxy: TrustProxy;
  /**
   * `/metrics`: on its own listener when `port` is set (host defaults to HOST), else on the API port; behind
   * `Authorization: Bearer <token>` when `token` is set. Production needs one of the two.
   */
  metrics: { port?: number; host: string; token?: string };
  nodeEnv: 'development' | 'test' | 'production';
  /** `allowRlsBypass`: start (with a loud warning) even if the app connects as a superuser or BYPASSRLS role. */
  /** `statementTimeoutMs`: server-side limit on any one statement; `acquireTimeoutMs`: wait for a pooled connection. */
  database: { url: string; migrationUrl: string; appRole: string; allowRlsBypass: boolean; statementTimeoutMs: number; acquireTimeoutMs: number };
  redisUrl?: string;
  usi: {
    env: UsiEnvironmentName;
    simUrl?: string;
    stsUrl?: string;
    usiUrl?: string;
    appliesTo?: string;
    /**
     * The web-service version spoken (`@usi/contract` SERVICE_VERSIONS): namespace, actions, endpoint path, schema.
     * Independent of `appliesTo`. A draft (incomplete) version is accepted with the simulator only.
     */
    serviceVersion: string;
    /** Deadline of one REST request's upstream work, retries included. */
    timeoutMs: number;
    /** Extra attempts for read-only operations on retryable failures. */
    retries: number;
    retryBaseMs: number;
    /** Consecutive retryable failures that open the circuit, and how long it stays open. */
    breakerThreshold: number;
    breakerCooldownMs: number;
    /** Freshness of cached reference data (countries, document types). */
    referenceTtlMs: number;
    /** Threads that read large USI replies (bulk answers) off the event loop; 0 reads every reply inline. */
    readerThreads: number;
  };
  /** `awsRegion`: the KMS region (AWS_REGION); the SDK's own resolution applies when unset. */
  keys: { kmsKeyId?: string; awsRegion?: string; masterKeyFile?: string; masterKey?: string };
  /**
   * `hmacKey` (base64, ≥ 32 bytes) keys the USI HMAC; without it, development derives one from the master key.
   * `checkpointIntervalMs`: how often each moved chain's head is signed and written to the anchor store, `anchorDir`
   * (one append-only file per chain), outside the database; the period is the window in which rows deleted from the
   * end of a chain go unnoticed (docs/AUDIT-THREAT-MODEL.md). With `anchorS3` (AWS) the checkpoints go to that
   * bucket (created with Object Lock; each object locked in compliance mode for `retentionDays`) instead.
   */
  audit: {
    hmacKey?: string;
    retentionMonths: number;
    rawRetentionDays: number;
    checkpointIntervalMs: number;
    anchorDir: string;
    anchorS3?: { bucket: string; prefix: string; retentionDays: number };
  };
  /** Undefined outside production; production refuses to start without one. */
  sessionSecret?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demoSeed: boolean;
  /**
   * The self-contained mode's own Postgres (no DATABASE_URL): `binDir` forces a folder of server binaries; otherwise
   * `binSource` `auto` takes the machine's binaries when it has them, else the npm package's (`npm` forces those).
   */
  embeddedPostgres: { binDir?: string; binSource: 'auto' | 'system' | 'npm' };
  /** Port of the in-process simulator in the self-contained mode (0: any free port). */
  simulatorPort: number;
  /** Shared across instances: Redis when `redisUrl` is set, otherwise Postgres. */
  rateLimit: {
    vendorPerMinute: number;
    orgPerMinute: number;
    /** Failed authentications (bad API key, session or password) one client address may make per minute. */
    authFailuresPerMinute: number;
    redisKeyPrefix: string;
    /** Share of a limit an instance leases per round trip to the shared store (0: one round trip per request). */
    leaseFraction: number;
  };
  /** How long a duplicate request waits for the first one with the same key before answering 409. */
  idempotency: { waitMs: number };
  /**
   * API-key principals and organisation access, cached per instance (0 disables) and invalidated across instances
   * through Postgres LISTEN/NOTIFY; the TTL only bounds how long a missed notification could matter.
   */
  accessCache: { ttlMs: number; maxEntries: number };
  /** Cookies are `Secure` everywhere except on plain-HTTP developer and test setups. */
  secureCookies: boolean;
  /**
   * `api` serves the REST API and enqueues; `worker` runs the queue's processors and serves only health and metrics;
   * `all` (the default, `npm start`) does both in one process.
   */
  role: 'api' | 'worker' | 'all';
  /**
   * BullMQ backend: `postgres` (its own schema `bullmq` in the gateway's database, created by the migration step)
   * unless `QUEUE_BACKEND=redis` or `REDIS_URL` is set. `prefix` names the queues (Redis key prefix as well).
   * `addTimeoutMs`: deadline of one enqueue (or scheduler upsert); past it the caller gets `queue.unavailable`.
   */
  queue: { backend: 'postgres' | 'redis'; prefix: string; addTimeoutMs: number };
  /**
   * Bulk jobs: `upstreamConcurrency` batches in flight per vendor and USI environment; inputs and results are deleted
   * `retentionDays` after the job ends; `maxRecords` per job.
   */
  jobs: { upstreamConcurrency: number; retentionDays: number; maxRecords: number };
  /**
   * The web app's public origin, for links in emails (password reset). Unset: the request's own origin, which only a
   * trusted Host header makes safe, so production should set it.
   */
  publicBaseUrl?: string;
  /**
   * Email: with `smtpUrl` the outbox is sent through it (nodemailer); without, messages stay in the outbox, readable
   * at `/dev/mailbox` outside production.
   */
  mail: { smtpUrl?: string; from: string };
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** Production: endpoints must be `https`. */
  requireHttps: boolean;
  /** Development and tests only (refused in production): deliveries may go to a loopback address. */
  allowLoopback: boolean;
  /** Deadline of one delivery attempt, name resolution included. */
  timeoutMs: number;
  /** Attempt n (1-based) failing waits `baseMs * factor^(n-1)` before the next; the defaults span about a day. */
  retry: { maxAttempts: number; baseMs: number; factor: number };
  /** An endpoint failing without a success for this long is disabled (its vendor's admins are emailed). */
  disableAfterMs: number;
  /** After a secret rotation, how long the previous secret still signs (both signatures are sent). */
  secretOverlapMs: number;
}

export class ConfigError extends UsiError {
  constructor(readonly problems: string[]) {
    super('config.invalid', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      variables: problems.map((p) => p.split(':')[0]),
    });
  }
}

/**
 * Parses the environment once, at start. Every bad variable is listed (never its value: some are secrets).
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  const production: string[] = [];
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) production.push('SESSION_SECRET: required when NODE_ENV=production');
  if (e.NODE_ENV === 'production' && e.METRICS_PORT === undefined && !e.METRICS_TOKEN) {
    production.push('METRICS_PORT: METRICS_PORT (a separate listener) or METRICS_TOKEN (a bearer token) is required when NODE_ENV=production');
  }
  if (e.QUEUE_BACKEND === 'redis' && !e.REDIS_URL) production.push('QUEUE_BACKEND: redis needs REDIS_URL');
  if (e.NODE_ENV === 'production' && e.WEBHOOK_ALLOW_LOOPBACK) {
    production.push('WEBHOOK_ALLOW_LOOPBACK: a development and test flag; not allowed when NODE_ENV=production');
  }
  if (production.length) throw new ConfigError(production);
  const version = findServiceVersion(e.USI_SERVICE_VERSION)!;
  if (!version.complete && e.USI_ENV !== 'sim') {
    throw new ConfigError([
      `USI_SERVICE_VERSION: ${version.id} is a draft (no published WSDL, docs/SERVICE-VERSIONS.md); it can only be used with USI_ENV=sim`,
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST ?? e.HOST, token: e.METRICS_TOKEN },
    nodeEnv: e.NODE_ENV,
    database: {
      url: e.DATABASE_URL,
      migrationUrl: e.DATABASE_MIGRATION_URL ?? e.DATABASE_URL,
      appRole: e.DATABASE_APP_ROLE,
      allowRlsBypass: e.ALLOW_RLS_BYPASS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    },
    redisUrl: e.REDIS_URL,
    usi: {
      env: e.USI_ENV,
      simUrl: e.USI_SIM_URL,
      stsUrl: e.USI_STS_URL,
      usiUrl: e.USI_URL,
      appliesTo: e.USI_APPLIES_TO,
      serviceVersion: version.id,
      timeoutMs: e.USI_TIMEOUT_MS,
      retries: e.USI_RETRIES,
      retryBaseMs: e.USI_RETRY_BASE_MS,
      breakerThreshold: e.USI_BREAKER_THRESHOLD,
      breakerCooldownMs: e.USI_BREAKER_COOLDOWN_MS,
      referenceTtlMs: e.USI_REFERENCE_TTL_MS,
      readerThreads: e.USI_READER_THREADS,
    },
    keys: { kmsKeyId: e.KMS_KEY_ID, awsRegion: e.AWS_REGION, masterKeyFile: e.MASTER_KEY_FILE, masterKey: e.MASTER_KEY },
    audit: {
      hmacKey: e.AUDIT_HMAC_KEY,
      retentionMonths: e.AUDIT_RETENTION_MONTHS,
      rawRetentionDays: e.AUDIT_RAW_RETENTION_DAYS,
      checkpointIntervalMs: e.AUDIT_CHECKPOINT_INTERVAL_MS,
      anchorDir: e.AUDIT_ANCHOR_DIR,
      anchorS3: e.AUDIT_ANCHOR_S3_BUCKET
        ? { bucket: e.AUDIT_ANCHOR_S3_BUCKET, prefix: e.AUDIT_ANCHOR_S3_PREFIX, retentionDays: e.AUDIT_ANCHOR_S3_RETENTION_DAYS }
        : undefined,
    },
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    demoSeed: e.DEMO_SEED,
    embeddedPostgres: { binDir: e.POSTGRES_BIN_DIR, binSource: e.POSTGRES_BIN_SOURCE },
    simulatorPort: e.USI_SIM_PORT,
    rateLimit: {
      vendorPerMinute: e.RATE_LIMIT_VENDOR_PER_MINUTE,
      orgPerMinute: e.RATE_LIMIT_ORG_PER_MINUTE,
      authFailuresPerMinute: e.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
      redisKeyPrefix: e.RATE_LIMIT_REDIS_PREFIX,
      leaseFraction: e.RATE_LIMIT_LEASE_FRACTION,
    },
    idempotency: { waitMs: e.IDEMPOTENCY_WAIT_MS },
    accessCache: { ttlMs: e.ACCESS_CACHE_TTL_MS, maxEntries: e.ACCESS_CACHE_MAX_ENTRIES },
    secureCookies: e.NODE_ENV === 'production',
    role: e.ROLE,
    queue: { backend: e.QUEUE_BACKEND ?? (e.REDIS_URL ? 'redis' : 'postgres'), prefix: e.QUEUE_PREFIX, addTimeoutMs: e.QUEUE_ADD_TIMEOUT_MS },
    jobs: {
      upstreamConcurrency: e.JOBS_UPSTREAM_CONCURRENCY,
      retentionDays: e.JOB_RETENTION_DAYS,
      maxRecords: e.JOBS_MAX_RECORDS,
    },
    webhooks: {
      requireHttps: e.NODE_ENV === 'production',
      allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retry: { maxAttempts: e.WEBHOOK_MAX_ATTEMPTS, baseMs: e.WEBHOOK_RETRY_BASE_MS, factor: e.WEBHOOK_RETRY_FACTOR },
      disableAfterMs: e.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
      secretOverlapMs: e.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000,
    },
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
  };
}
