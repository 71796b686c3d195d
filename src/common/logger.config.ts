import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

/** Probes and scrapes, not logged per request. /metrics/costs (authenticated, shows spending) is. */
const QUIET_ROUTES = /^\/(health(\/live|\/ready)?|live|ready|metrics)\/?(\?|$)/;
const requestPath = (req: IncomingMessage & { originalUrl?: string }) => req.originalUrl ?? req.url ?? '';

/**
 * pino JSON lines; the request id is Fastify's (see app.factory: X-Request-Id or a UUID).
 * Secrets and message bodies are redacted at the source.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      customProps: () => ({ service: 'ai-service' }),
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_ROUTES.test(requestPath(req)) },
      // The serializers below keep only id/method/path and status, so headers and bodies never
      // reach a line; redaction is the second lock. No wildcard paths: they are re-walked per line.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          'req.body',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          url: (req.originalUrl ?? req.url)?.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
