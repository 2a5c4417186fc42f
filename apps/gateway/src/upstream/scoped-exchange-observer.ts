import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExchangeFinished, ExchangeObserver, ExchangeStarted } from '@usi/client';

/**
 * The shared UsiClient takes one observer for its lifetime, but audit records belong to the request that caused
 * them. This observer forwards each event to the observer bound for the current async call chain.
 */
export class ScopedExchangeObserver implements ExchangeObserver {
  private readonly current = new AsyncLocalStorage<ExchangeObserver>();

  run<T>(observer: ExchangeObserver, work: () => Promise<T>): Promise<T> {
    return this.current.run(observer, work);
  }

  started(e: ExchangeStarted): Promise<void> | void {
    return this.current.getStore()?.started(e);
  }

  finished(e: ExchangeFinished): Promise<void> | void {
    return this.current.getStore()?.finished(e);
  }
}
