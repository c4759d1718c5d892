/** Runs an async operation many times at a fixed concurrency and summarises its latency. */
export interface Measurement {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface MeasureOptions {
  /** Operations to time (after the warm-up). */
  iterations: number;
  concurrency: number;
  warmup?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

async function drive(
  op: (i: number) => Promise<unknown>,
  count: number,
  concurrency: number,
  latencies?: number[],
) {
  let next = 0;
  let errors = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      try {
        await op(i);
      } catch {
        errors++;
      }
      latencies?.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return errors;
}

export async function measure(
  op: (i: number) => Promise<unknown>,
  options: MeasureOptions,
): Promise<Measurement> {
  await drive(op, options.warmup ?? Math.min(200, options.iterations), options.concurrency);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await drive(op, options.iterations, options.concurrency, latencies);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: options.iterations,
    seconds,
    opsPerSecond: options.iterations / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}
