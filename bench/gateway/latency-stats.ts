/** Percentile by nearest rank over an unsorted sample (copied, not mutated). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Every successful call's latency, so slices of one run can be merged before taking percentiles. */
  latencies: number[];
}

/** `concurrency` workers issue `call` back to back for `durationMs`; latencies in ms. */
export async function runLoad(call: () => Promise<void>, concurrency: number, durationMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarise(latencies, errors, (performance.now() - started) / 1000);
}

/** One result for several slices of the same load (percentiles over all their samples, rate over their total time). */
export function mergeLoads(slices: LoadResult[]): LoadResult {
  const latencies = slices.flatMap((s) => s.latencies);
  const errors = slices.reduce((n, s) => n + s.errors, 0);
  return summarise(latencies, errors, slices.reduce((t, s) => t + s.seconds, 0));
}

function summarise(latencies: number[], errors: number, seconds: number): LoadResult {
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    latencies,
  };
}
