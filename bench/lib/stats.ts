// Order statistics over latency samples. Percentiles use the nearest-rank method on the sorted
// samples, so p99 of 100 samples is the largest but one: with few samples a p99 is close to the
// maximum, which is why each figure reports `n` next to it.

export type Summary = {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
};

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, x) => total + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}

/** Rounds for the report: 3 significant digits is all the noise of a shared 2-core host allows. */
export function round3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}

export function roundSummary(s: Summary): Summary {
  return { n: s.n, p50: round3(s.p50), p90: round3(s.p90), p99: round3(s.p99), mean: round3(s.mean), min: round3(s.min), max: round3(s.max) };
}

/** `count` timed calls of `once`, one at a time, after `warmUp` untimed ones (connections, JIT). */
export async function timeEach(count: number, once: (i: number) => Promise<unknown>, warmUp = 0): Promise<Summary> {
  for (let i = 0; i < warmUp; i++) await once(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await once(i);
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}
