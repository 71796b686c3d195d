import type { Gauge } from 'prom-client';

/**
 * Makes `read` fill the gauge each time /metrics is scraped. prom-client calls a metric's
 * `collect` before serialising it; the metric objects are shared by every application built in
 * one process (the willsoto providers reuse a registered name), so the application that started
 * last owns the reader, and `release` gives it up when that application closes.
 */
export function collectOnScrape(gauge: Gauge<string>, read: () => Promise<void> | void): () => void {
  const collect = async () => {
    try {
      await read();
    } catch {
      gauge.reset(); // an unknown value is absent rather than stale
    }
  };
  (gauge as unknown as { collect?: () => Promise<void> }).collect = collect;
  return () => {
    const owner = gauge as unknown as { collect?: () => Promise<void> };
    if (owner.collect === collect) delete owner.collect;
  };
}

/**
 * One read shared by the gauges of a scrape: prom-client collects every metric at once, so calls
 * made while a read is in flight get that read; the next scrape reads afresh.
 */
export function sharedRead<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= fn().finally(() => {
      pending = undefined;
    }));
}
