import { Endpoints, ExchangeKind, resolveEndpoints, TokenCache, UndiciHttpTransport, UsiClient } from '@usi/client';
import { AppConfig } from '../../config/app-config';
import { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';
import { RetryPolicy } from './retry-policy';
import { ScopedExchangeObserver } from './scoped-exchange-observer';
import { isAvailabilityFailure } from './upstream-error.mapper';

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
 * cache shared by every vendor and request), a circuit breaker per endpoint around each exchange, one retry policy.
 */
export class UsiUpstream {
  readonly client: UsiClient;
  readonly observer = new ScopedExchangeObserver();
  private readonly transport = new UndiciHttpTransport();

  constructor(
    readonly environment: string,
    readonly endpoints: Endpoints,
    readonly timeoutMs: number,
    readonly breakers: UpstreamBreakers,
    readonly retry: RetryPolicy,
  ) {
    this.client = new UsiClient({
      endpoints,
      transport: this.transport,
      timeoutMs,
      tokenCache: new TokenCache(),
      observer: this.observer,
      guard: (kind, exchange) => breakers[kind].run(exchange, isAvailabilityFailure),
    });
  }

  static fromConfig(config: AppConfig['usi']): UsiUpstream {
    const endpoints = resolveEndpoints(config.env, {
      simUrl: config.simUrl,
      stsUrl: config.stsUrl,
      usiUrl: config.usiUrl,
      appliesTo: config.appliesTo,
    });
    return new UsiUpstream(
      config.env,
      endpoints,
      config.timeoutMs,
      upstreamBreakers({ threshold: config.breakerThreshold, cooldownMs: config.breakerCooldownMs }),
      new RetryPolicy({ retries: config.retries, baseDelayMs: config.retryBaseMs }),
    );
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
