import { randomUUID } from 'node:crypto';
import helmet from 'helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { apiKeyHook } from './common/api-key.hook';
import { clientErrorHandler, frameworkErrorHandler } from './common/edge-errors';
import { parseJsonBody } from './common/json-body';
import { AppConfigModule } from './config/config.module';
import { setupSwagger } from './swagger';

const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the whole application (used by main.ts and by the e2e tests). */
export async function createApp(env: Record<string, string | undefined>): Promise<NestFastifyApplication> {
  const { config, module: configModule } = await AppConfigModule.load(env);
  const edge = config.http;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Session ids in paths may be 128 characters (caller-named); Fastify's default of 100 would
    // answer 414 before the route could refuse longer ones with a 400 naming session_id.
    routerOptions: { maxParamLength: 2048 },
    // HTTP/1.0 clients and probes may omit Host; routing never depends on it.
    // Slow clients cannot hold sockets: the headers, then the whole request, must arrive in time
    // (408), checked every second or so rather than Node's 30 s; idle keep-alive sockets close.
    http: {
      requireHostHeader: false,
      headersTimeout: edge.headersTimeoutMs,
      requestTimeout: edge.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.floor(edge.headersTimeoutMs / 2)),
    },
    requestTimeout: edge.requestTimeoutMs,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // X-Forwarded-For is believed for this many proxies only (0: the peer's address is the client's).
    trustProxy: edge.trustProxyHops,
    // A SIGTERM drains HTTP first (src/shutdown.ts, lifecycle/http-drain.ts); these two only shape a
    // plain app.close() (tests, embedding): idle sockets do not hold it, late requests get a 503.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // One id per request, reused by the pino logger: the caller's X-Request-Id when it is sane.
    genReqId: (req: import('node:http').IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(configModule), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // Our JSON parser replaces Nest's (and its urlencoded one: other media types get 415).
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // Security headers on every route and 404, from helmet's middleware built once here, so the CSP
  // is not parsed again for each request (the @fastify/helmet plugin rebuilds it per request).
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
    )
    .addHook('onRequest', apiKeyHook(config.apiKeys));
  if (config.swaggerEnabled) setupSwagger(app);
  return app;
}
