import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { createListenClient, PgListenClient } from './pg-listen-client';

/** Also named in the triggers of migration CacheInvalidationTriggers. */
export const CACHE_CHANNEL = 'usi_gateway_cache';

/**
 * `api_key:<id>` (revoked, expired, re-scoped), `organisation:<id>` (the organisation or one of its authorisations
 * changed), `vendor:<id>`, `credential:<vendor id>` (one of the vendor's machine credentials changed status, or an
 * organisation's connection mode changed: drop its cached credentials and STS tokens). Identifiers only: the payload
 * travels in clear through Postgres.
 */
export type InvalidationKind = 'api_key' | 'organisation' | 'vendor' | 'credential';
export interface InvalidationEvent {
  kind: InvalidationKind;
  id: string;
}

/** `reset`: this instance may have missed notifications (connection lost), so every cached entry is suspect. */
export type InvalidationHandler = (event: InvalidationEvent | 'reset') => void;

const KINDS: ReadonlySet<string> = new Set<InvalidationKind>(['api_key', 'organisation', 'vendor', 'credential']);
const RETRY_MIN_MS = 100;
/**
 * Backoff cap: the listener is back within this long of the database, so the caches are not bypassed (every request
 * reading the database) for longer than that after an outage. One connection attempt per interval is nothing.
 */
const RETRY_MAX_MS = 2_000;

export function parseInvalidation(payload: string | undefined): InvalidationEvent | undefined {
  const match = /^([a-z_]+):([0-9a-f-]{36})$/.exec(payload ?? '');
  return match && KINDS.has(match[1]) ? { kind: match[1] as InvalidationKind, id: match[2] } : undefined;
}

/**
 * Keeps the per-instance caches coherent across gateway instances. Database triggers `pg_notify` on every change
 * that matters (so writers outside this code, such as the expiry sweep, are covered); this service LISTENs on a
 * dedicated connection and reconnects with backoff. While it is not listening, `listening` is false and the caches
 * go straight to the database.
 */
@Injectable()
export class CacheInvalidation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CacheInvalidation.name);
  private readonly handlers: InvalidationHandler[] = [];
  private client?: PgListenClient;
  private connected = false;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer?: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get listening(): boolean {
    return this.connected;
  }

  subscribe(handler: InvalidationHandler): void {
    this.handlers.push(handler);
  }

  /** Applies a change made by this instance at once; the trigger's NOTIFY reaches the other instances. */
  publishLocal(event: InvalidationEvent): void {
    this.dispatch(event);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.drop();
  }

  private async connect(): Promise<void> {
    const client = createListenClient(this.config.database.url);
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== CACHE_CHANNEL) return;
      const event = parseInvalidation(message.payload);
      // Unparseable means a newer writer: dropping everything is the safe reading.
      this.dispatch(event ?? 'reset');
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.client !== client) return;
    // Anything cached before now may have changed while nobody listened.
    this.dispatch('reset');
    this.connected = true;
    this.retryMs = RETRY_MIN_MS;
  }

  private lost(client: PgListenClient, err?: unknown): void {
    if (this.client !== client) return;
    this.connected = false;
    this.client = undefined;
    this.dispatch('reset');
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ msg: 'cache invalidation listener lost; caches bypassed until it reconnects', err, retryMs: this.retryMs });
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    if (!client) return;
    client.removeAllListeners();
    client.on('error', () => undefined);
    await client.end().catch(() => undefined);
  }

  private dispatch(event: InvalidationEvent | 'reset'): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (err) {
        this.logger.error({ msg: 'cache invalidation handler failed', err });
      }
    }
  }
}
