/**
 * A small closed-loop load generator: `concurrency` workers send requests back to back until
 * `total` have completed; reports throughput and the latency distribution.
 */
export interface LoadResult {
  total: number;
  seconds: number;
  perSecond: number;
  medianMs: number;
  p99Ms: number;
  failures: number;
}

export async function runLoad(total: number, concurrency: number, send: (index: number) => Promise<boolean>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const begin = performance.now();
      const ok = await send(index).catch(() => false);
      latencies.push(performance.now() - begin);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { total, seconds, perSecond: total / seconds, ...quantiles(latencies), failures };
}

/** The median and the 99th percentile of a list of latencies (ms). */
export function quantiles(latencies: number[]): { medianMs: number; p99Ms: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p99Ms: at(0.99) };
}

export const fmt = (value: number, digits = 1) => value.toFixed(digits);
