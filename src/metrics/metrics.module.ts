import { Module } from '@nestjs/common';
import { makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION, HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { ProcessLimits, processLimitProviders } from './process-limits';

/**
 * /metrics with Node's default metrics and an HTTP histogram. Each feature module registers its
 * own named metrics (chat_*, llm_*, dte_*) with make*Provider beside its code.
 */
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: true } })],
  providers: [
    makeHistogramProvider({
      name: HTTP_DURATION,
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    HttpMetricsHook,
    ...processLimitProviders,
    ProcessLimits,
  ],
})
export class MetricsModule {}
