import { randomUUID } from 'node:crypto';
import helmet from 'helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { clientErrorHandler, frameworkErrorHandler } from './common/edge-errors';
import { parseJsonBody } from './common/json-body';
import { AppConfig } from './config/app-config';
import { setupSwagger } from './swagger';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the whole application (used by main.ts and by the e2e tests). */
export async function createApp(env: Record<string, string | undefined>): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Session ids in paths may be 128 characters (caller-named); Fastify's default of 100 would
    // answer 414 before the route could refuse longer ones with a 400 naming session_id.
    routerOptions: { maxParamLength: 2048 },
    // HTTP/1.0 clients and probes may omit Host; routing never depends on it.
    http: { requireHostHeader: false },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    trustProxy: true,
    // Keep-alive sockets close once idle during shutdown so close() does not wait for them.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // One id per request, reused by the pino logger: the caller's X-Request-Id when it is sane.
    genReqId: (req: import('node:http').IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(env), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  // Our JSON parser replaces Nest's (and its urlencoded one: other media types get 415).
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // Security headers, with helmet's middleware built once: @fastify/helmet rebuilt it (re-parsing the
  // CSP) on every request, about 2% of a chat turn's CPU. Same headers, on every route and 404.
  const securityHeaders = helmet({
    // Swagger UI needs its own inline bootstrap; the API itself only serves JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        // The service is reached over plain HTTP inside its network (http://ai-service:8002):
        // upgrading Swagger's asset requests to https would leave /docs blank there.
        upgradeInsecureRequests: null,
      },
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (e?: unknown) => done(e as Error | undefined)),
    );
  if (config.swaggerEnabled) setupSwagger(app);
  return app;
}
