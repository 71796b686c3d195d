import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { logEvent } from './common/log-event';
import { HttpDrain } from './lifecycle/http-drain';
import { Lifecycle } from './lifecycle/lifecycle.service';
import { shutdownPlan } from './lifecycle/shutdown-plan';

/**
 * SIGTERM/SIGINT, in this order (docs/operations.md, "Shutdown"):
 * 1. readiness answers 503 and the listener closes (new connections are refused); answers still
 *    being written carry `Connection: close` and each socket closes right after its answer;
 * 2. in-flight requests and tracked background jobs finish; whatever is still calling a provider
 *    shortly before the grace period ends is aborted (usage recorded, streams get `event: error`);
 * 3. Nest's shutdown hooks: the cost ledger's last flush, then Redis QUIT;
 * 4. exit 0. A second signal, or the grace period running out, exits 1.
 */
export function installGracefulShutdown(app: INestApplication, graceMs: number) {
  const logger = new Logger('Shutdown');
  const lifecycle = app.get(Lifecycle);
  const http = new HttpDrain(app.getHttpServer() as Server);
  let closing = false;

  const onSignal = async (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    const started = performance.now();
    const plan = shutdownPlan(graceMs);
    logEvent(logger, 'shutdown_started', {
      signal,
      grace_ms: graceMs,
      in_flight_requests: http.inFlight(),
      background_jobs: lifecycle.trackedWork(),
      abort_in_flight_after_ms: plan.abortInFlightAt,
    });
    const force = setTimeout(() => {
      logEvent(logger, 'shutdown_forced', { grace_ms: graceMs, in_flight_requests: http.inFlight() }, 'error');
      process.exit(1);
    }, plan.forceExitAt);
    force.unref();
    const abort = setTimeout(() => {
      logEvent(
        logger,
        'shutdown_aborting_in_flight',
        { in_flight_requests: http.inFlight(), background_jobs: lifecycle.trackedWork() },
        'warn',
      );
      lifecycle.stopInFlightWork();
    }, plan.abortInFlightAt);
    abort.unref();

    try {
      lifecycle.beginDrain(started + plan.finalWritesBy);
      await Promise.all([http.drain(), lifecycle.idle()]);
      clearTimeout(abort);
      logEvent(logger, 'shutdown_drained', { after_ms: Math.round(performance.now() - started) });
      await app.close();
      logEvent(logger, 'shutdown_complete', { after_ms: Math.round(performance.now() - started) });
      process.exit(0);
    } catch (e) {
      logEvent(logger, 'shutdown_failed', { error: e instanceof Error ? e.message : String(e) }, 'error');
      process.exit(1);
    }
  };
  process.on('SIGTERM', (s) => void onSignal(s));
  process.on('SIGINT', (s) => void onSignal(s));
}
