import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';

export const HTTP_DURATION = 'http_request_duration_seconds';

/** Observes every HTTP answer (errors and 404s included) by route pattern, not raw URL. */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectMetric(HTTP_DURATION) private readonly histogram: Histogram<string>,
  ) {}

  onModuleInit() {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      this.observe(request, reply.statusCode, reply.elapsedTime);
      done();
    });
    // A client that hangs up before the answer gets no onResponse: counted as nginx's 499 "client
    // closed request", apart from the 4xx we answer and the 5xx we fail with.
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) this.observe(request, 499, reply.elapsedTime);
      });
      done();
    });
  }

  private observe(request: FastifyRequest, status: number, elapsedMs: number) {
    const route = request.routeOptions?.url ?? 'unmatched';
    this.histogram.observe({ method: request.method, route, status_code: String(status) }, elapsedMs / 1000);
  }
}
