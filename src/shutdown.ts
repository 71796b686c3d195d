import { INestApplication, Logger } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (Fastify's close),
 * run the modules' shutdown hooks (Redis quit), then exit 0. A second signal or the grace
 * period elapsing forces exit 1.
 */
export function installGracefulShutdown(app: INestApplication, graceMs: number) {
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      process.exit(1);
    }
    closing = true;
    logger.log({ event: 'shutdown_started', signal, msg: 'shutdown_started' });
    const force = setTimeout(() => {
      logger.error({ event: 'shutdown_forced', grace_ms: graceMs, msg: 'shutdown_forced' });
      process.exit(1);
    }, graceMs);
    force.unref();
    app
      .close()
      .then(() => {
        logger.log({ event: 'shutdown_complete', msg: 'shutdown_complete' });
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
