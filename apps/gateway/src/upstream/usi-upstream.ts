import {
  Endpoints,
  ExchangeFinished,
  ExchangeKind,
  ExchangeObserver,
  ExchangeStarted,
  resolveEndpoints,
  SecurityToken,
  StsClient,
  ThreadedResponseReader,
  TokenCache,
  UndiciHttpTransport,
  UsiClient,
  UsiResponseReader,
} from '@usi/client';
import { MachineCredential, serviceVersion, UsiServiceVersion } from '@usi/contract';
import { Clock, systemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';
import { RetryPolicy } from './retry-policy';
import { ScopedExchangeObserver } from './scoped-exchange-observer';
import { isAvailabilityFailure } from './upstream-error.mapper';
import { UpstreamMonitor } from './upstream-monitor';

/** One circuit breaker per endpoint: an STS outage must not stop calls made with cached tokens, nor the reverse. */
export type UpstreamBreakers = Readonly<Record<ExchangeKind, CircuitBreaker>>;

export function upstreamBreakers(options: Omit<CircuitBreakerOptions, 'name'>): UpstreamBreakers {
  return {
    sts: new CircuitBreaker({ ...options, name: 'The ATO token service (STS)' }),
    usi: new CircuitBreaker({ ...options, name: 'The USI Registry' }),
  };
}

export const USI_UPSTREAM = Symbol('USI_UPSTREAM');

/**
 * The one upstream environment this gateway instance talks to: one client (so one connection pool and one token
 * cache shared by every vendor and request), a circuit breaker per endpoint around each exchange, one retry policy,
 * and the monitor that sees every exchange and every STS clock reading.
 */
export class UsiUpstream {
  readonly client: UsiClient;
  readonly observer = new ScopedExchangeObserver();
  /** Shared by every vendor; entries are flushed per vendor when its credentials change (`invalidateWhere`). */
  readonly tokens = new TokenCache();
  private readonly transport = new UndiciHttpTransport();
  /** For credential checks only: a token request that bypasses the cache. */
  private readonly sts: StsClient;

  constructor(
    readonly environment: string,
    readonly endpoints: Endpoints,
    readonly timeoutMs: number,
    readonly breakers: UpstreamBreakers,
    readonly retry: RetryPolicy,
    readonly version: UsiServiceVersion = serviceVersion('v5'),
    readonly monitor: UpstreamMonitor = new UpstreamMonitor(environment, systemClock),
    private readonly reader?: UsiResponseReader,
  ) {
    const guard = <T>(kind: ExchangeKind, exchange: () => Promise<T>) => breakers[kind].run(exchange, isAvailabilityFailure);
    const scoped = this.observer;
    // The request's own observer (audit) decides the pace; the monitor only counts, synchronously.
    const observer: ExchangeObserver = {
      started: (e: ExchangeStarted) => scoped.started(e),
      finished: (e: ExchangeFinished) => {
        monitor.recordExchange(e);
        return scoped.finished(e);
      },
    };
    this.client = new UsiClient({
      endpoints,
      transport: this.transport,
      timeoutMs,
      tokenCache: this.tokens,
      observer,
      guard,
      version,
      onClockOffset: (sample) => monitor.recordClockOffset(sample),
      responseReader: reader,
    });
    this.sts = new StsClient({ stsUrl: endpoints.stsUrl, transport: this.transport, timeoutMs, guard });
  }

  /**
   * Proves a credential before it serves: a first-party token request (the credential's own ABN, no ActAs) for this
   * environment's AppliesTo, never cached and never reused. Goes through the STS circuit breaker like any exchange.
   */
  requestFirstPartyToken(credential: MachineCredential): Promise<SecurityToken> {
    return this.sts.issue({ credential, appliesTo: this.endpoints.appliesTo }, { timeoutMs: this.timeoutMs });
  }

  static fromConfig(config: AppConfig['usi'], deps: { clock?: Clock; metrics?: MetricsService } = {}): UsiUpstream {
    const version = serviceVersion(config.serviceVersion);
    const endpoints = resolveEndpoints(
      config.env,
      { simUrl: config.simUrl, stsUrl: config.stsUrl, usiUrl: config.usiUrl, appliesTo: config.appliesTo },
      version,
    );
    const gauge = deps.metrics?.upstreamClockOffset;
    const monitor = new UpstreamMonitor(config.env, deps.clock ?? systemClock, (sample) =>
      gauge?.set({ environment: config.env, endpoint: sample.kind }, sample.offsetMs / 1000),
    );
    return new UsiUpstream(
      config.env,
      endpoints,
      config.timeoutMs,
      upstreamBreakers({ threshold: config.breakerThreshold, cooldownMs: config.breakerCooldownMs }),
      new RetryPolicy({ retries: config.retries, baseDelayMs: config.retryBaseMs }),
      version,
      monitor,
      // A worker's pumps receive 500-row answers together: read on threads, their database work does not wait ~30 ms
      // behind each other's XML parsing (bench:jobs).
      config.readerThreads > 0 ? new ThreadedResponseReader({ threads: config.readerThreads }) : undefined,
    );
  }

  async close(): Promise<void> {
    await this.transport.close();
    await this.reader?.close?.();
  }
}
