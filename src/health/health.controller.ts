import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/public.decorator';
import { HealthService } from './health.service';
import { KnowledgeHealthIndicator } from './indicators/knowledge.health';
import { RedisHealthIndicator } from './indicators/redis.health';
import { ShutdownHealthIndicator } from './indicators/shutdown.health';

const HEALTH_EXAMPLE = {
  status: 'healthy',
  service: 'AI Microservice - DTE Intelligence',
  version: '1.0.0',
  timestamp: '2026-11-24T12:00:00.000Z',
  uptime_seconds: 3600,
  checks: { anthropic_configured: true, openai_configured: true, redis_connected: true, knowledge_base_loaded: true },
  dependencies: {
    redis: { status: 'up', latency_ms: 0.4 },
    anthropic: { status: 'configured', model: 'claude-sonnet-4-6' },
    openai: { status: 'configured', model: 'gpt-4.1-mini' },
  },
  stats: { documents_count: 34, total_tags: 199 },
};

/** Public probes. Odoo's "Probar Conexión" sends a Bearer header here; it is accepted and ignored. */
@Public()
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly terminus: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly knowledge: KnowledgeHealthIndicator,
    private readonly shutdown: ShutdownHealthIndicator,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Service status with dependencies (200 healthy/degraded, 503 unhealthy)' })
  @ApiOkResponse({ schema: { example: HEALTH_EXAMPLE } })
  @ApiServiceUnavailableResponse({ description: 'Configured Redis unreachable or knowledge base not loaded' })
  async report(@Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.health.report();
    if (body.status === 'unhealthy') reply.status(503);
    return body;
  }

  @Get(['health/live', 'live'])
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: 200 while the process can serve; never depends on Redis or an LLM' })
  live() {
    return this.terminus.check([async () => ({ process: { status: 'up' as const, pid: process.pid } })]);
  }

  @Get(['health/ready', 'ready'])
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: 503 while configured Redis is unreachable, the knowledge base is not loaded, or the service is shutting down',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.terminus.check([
        () => this.shutdown.check(),
        () => this.redis.check(),
        () => this.knowledge.check(),
      ]);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      reply.status(503);
      return {
        ...(e.getResponse() as object),
        detail: this.shutdown.draining()
          ? 'El servicio se está deteniendo: las nuevas solicitudes van a otra instancia.'
          : 'El servicio no está listo: Redis o la base de conocimiento no están disponibles.',
      };
    }
  }
}
