/** Nearest-rank percentile of an ascending array (the definition autocannon and HdrHistogram use). */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface Latency {
  samples: number;
  mean_ms: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

const round = (x: number, digits = 2) => +x.toFixed(digits);

/** `digits`: decimals kept (3 for in-process timings well under a millisecond). */
export function summarizeLatency(samples: number[], digits = 2): Latency {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  return {
    samples: arr.length,
    mean_ms: round(arr.reduce((s, x) => s + x, 0) / (arr.length || 1), digits),
    p50_ms: round(percentile(arr, 50), digits),
    p95_ms: round(percentile(arr, 95), digits),
    p99_ms: round(percentile(arr, 99), digits),
    max_ms: round(arr[arr.length - 1] ?? 0, digits),
  };
}

/** A ratio rounded for a table; null when the denominator is missing or zero. */
export function ratio(a: number | undefined, b: number | undefined, digits = 2): number | null {
  if (a === undefined || b === undefined || !b) return null;
  return round(a / b, digits);
}

export { round };
