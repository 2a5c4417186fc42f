import type { UsiOperation } from '@usi/contract';
import { faultConfigSchema, type FaultConfig, type FaultRule, type LatencySpec } from './fault-config';
import { seededRandom } from '../registry/seeded-random';

/** Where a request landed: the STS, or one USI operation (undefined when the action is unknown). */
export type FaultTarget = { kind: 'sts' } | { kind: 'usi'; operation?: UsiOperation };

/** What to do to one request, decided up front so a seeded scenario is reproducible request by request. */
export interface FaultPlan {
  delayMs: number;
  failure?: NonNullable<FaultRule['failure']>;
  hangMs?: number;
  errorCode?: number;
  /** STS only: the refusal to answer with. */
  stsFault?: NonNullable<FaultRule['stsFault']>;
}

export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = Math.random;

  /** Validates with the admin schema so programmatic callers get the same errors as the JSON API. */
  set(input: unknown): FaultConfig {
    const config = faultConfigSchema.parse(input);
    this.config = config;
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
    return config;
  }

  clear(): void {
    this.config = {};
    this.random = Math.random;
  }

  current(): FaultConfig {
    return this.config;
  }

  /** Skew applies to everything; a specific rule may refine it. */
  clockSkewMs(target?: FaultTarget): number {
    return (target ? this.ruleFor(target) : this.config.global)?.clockSkewMs ?? 0;
  }

  plan(target: FaultTarget): FaultPlan {
    const rule = this.ruleFor(target);
    const plan: FaultPlan = { delayMs: rule.latency ? this.sampleLatency(rule.latency) : 0 };
    if (rule.failure && this.happens(rule.failureRate ?? 1)) {
      plan.failure = rule.failure;
      if (rule.hangMs !== undefined) plan.hangMs = rule.hangMs;
    } else if (target.kind === 'usi' && rule.errorRate !== undefined && this.happens(rule.errorRate)) {
      plan.errorCode = rule.errorCode ?? 1001;
    } else if (target.kind === 'sts' && rule.stsFault && this.happens(rule.errorRate ?? 1)) {
      plan.stsFault = rule.stsFault;
    }
    return plan;
  }

  private ruleFor(target: FaultTarget): FaultRule {
    const specific =
      target.kind === 'sts' ? this.config.sts : target.operation ? this.config.operations?.[target.operation] : undefined;
    return { ...this.config.global, ...specific };
  }

  private happens(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  private sampleLatency(spec: LatencySpec): number {
    if ('fixedMs' in spec) return spec.fixedMs;
    if ('minMs' in spec) return Math.round(spec.minMs + this.random() * (spec.maxMs - spec.minMs));
    // Box-Muller; 1 - u keeps log() away from zero.
    const u = 1 - this.random();
    const v = this.random();
    const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(spec.meanMs + gaussian * spec.stdDevMs));
  }
}
