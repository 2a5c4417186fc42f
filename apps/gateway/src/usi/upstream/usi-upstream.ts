import { Endpoints, resolveEndpoints, TokenCache, UndiciHttpTransport, UsiClient } from '@usi/client';
import { AppConfig } from '../../config/app-config';
import { CircuitBreaker } from './circuit-breaker';
import { RetryPolicy } from './retry-policy';
import { ScopedExchangeObserver } from './scoped-exchange-observer';

export const USI_UPSTREAM = Symbol('USI_UPSTREAM');

/**
 * The one upstream environment this gateway instance talks to: one client (so one connection pool and one token
 * cache shared by every vendor and request), one circuit breaker, one retry policy.
 */
export class UsiUpstream {
  readonly client: UsiClient;
  readonly observer = new ScopedExchangeObserver();
  private readonly transport = new UndiciHttpTransport();

  constructor(
    readonly environment: string,
    readonly endpoints: Endpoints,
    readonly timeoutMs: number,
    readonly breaker: CircuitBreaker,
    readonly retry: RetryPolicy,
  ) {
    this.client = new UsiClient({
      endpoints,
      transport: this.transport,
      timeoutMs,
      tokenCache: new TokenCache(),
      observer: this.observer,
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
      new CircuitBreaker({ threshold: config.breakerThreshold, cooldownMs: config.breakerCooldownMs }),
      new RetryPolicy({ retries: config.retries, baseDelayMs: config.retryBaseMs }),
    );
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
