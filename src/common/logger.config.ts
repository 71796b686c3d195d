import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

const QUIET_ROUTES = /^\/(health|live|ready|metrics)(\/|$|\?)/;

/**
 * pino JSON lines; the request id is Fastify's (see app.factory: X-Request-Id or a UUID).
 * Secrets and message bodies are redacted at the source.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      customProps: () => ({ service: 'ai-service' }),
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_ROUTES.test(req.url ?? '') },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          'req.body',
          'res.headers["set-cookie"]',
          '*.apiKey',
          '*.api_key',
          '*.password',
          '*.message_text',
          '*.prompt',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
