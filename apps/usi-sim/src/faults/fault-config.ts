import { USI_OPERATIONS } from '@usi/contract';
import { z } from 'zod';
import { FORCED_STS_FAULTS, type ForcedStsFault } from '../sts/sts-faults';

const latency = z.union([
  z.strictObject({ fixedMs: z.number().int().min(0) }),
  z.strictObject({ minMs: z.number().int().min(0), maxMs: z.number().int().min(0) }).refine((v) => v.maxMs >= v.minMs, {
    message: 'maxMs must be >= minMs',
  }),
  z.strictObject({ meanMs: z.number().min(0), stdDevMs: z.number().min(0) }),
]);

/**
 * One fault rule. `failure` breaks the transport or the envelope (and so applies to the STS as well as USI);
 * `errorRate` answers with a well-formed USI ErrorInfo fault. Rates are probabilities in [0, 1].
 */
const rule = z.strictObject({
  latency: latency.optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorCode: z.number().int().positive().optional(),
  /** `http502`: the HTML page a proxy in front of the service sends when the service behind it is down. */
  failure: z.enum(['reset', 'http503', 'http502', 'malformed', 'truncated', 'hang']).optional(),
  failureRate: z.number().min(0).max(1).optional(),
  /** For `hang`: answer 503 after this long; without it the request is held until the client gives up. */
  hangMs: z.number().int().min(0).optional(),
  /** Shifts the simulator's clock for timestamp checks, the times it issues and the HTTP Date header it sends. */
  clockSkewMs: z.number().int().optional(),
  /**
   * STS only: refuse every token request (or a share: `errorRate`) with this fault, as MAS-ST words it
   * (`sts-faults.ts`). The real causes are also simulated: a skewed clock, an expired/suspended/revoked credential
   * (`PUT /admin/credentials/:id`), a missing notification, an unknown AppliesTo.
   */
  stsFault: z.enum(Object.keys(FORCED_STS_FAULTS) as [ForcedStsFault, ...ForcedStsFault[]]).optional(),
});


export const faultConfigSchema = z.strictObject({
  seed: z.number().int().optional(),
  global: rule.optional(),
  sts: rule.optional(),
  operations: z.partialRecord(z.enum(USI_OPERATIONS), rule).optional(),
});

export type FaultRule = z.infer<typeof rule>;
export type LatencySpec = z.infer<typeof latency>;
export type FaultConfig = z.infer<typeof faultConfigSchema>;
