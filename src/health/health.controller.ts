import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/public.decorator';
import { HealthReportDto } from './dto/health-report.dto';
import { HealthService } from './health.service';
import { KnowledgeHealthIndicator } from './indicators/knowledge.health';
import { RedisHealthIndicator } from './indicators/redis.health';
import { ShutdownHealthIndicator } from './indicators/shutdown.health';

/** Public probes. Odoo's "Probar Conexión" sends a Bearer header here; it is accepted and ignored. */
@Public()
@ApiTags('health')
// The only 4xx a probe can get: Node's parser refuses oversized headers before any route runs.
@ApiErrorResponses(431)
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
  @ApiOperation({ summary: 'Service status with dependencies (200 healthy/degraded, 503 unhealthy)', security: [] })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto,
    description: 'unhealthy: configured Redis unreachable or knowledge base not loaded (same body)',
  })
  async report(@Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.health.report();
    if (body.status === 'unhealthy') reply.status(503);
    return body;
  }

  @Get(['health/live', 'live'])
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness: 200 while the process can serve; never depends on Redis or an LLM',
    security: [],
  })
  live() {
    return this.terminus.check([async () => ({ process: { status: 'up' as const, pid: process.pid } })]);
  }

  @Get(['health/ready', 'ready'])
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: 503 while configured Redis is unreachable, the knowledge base is not loaded, or the service is shutting down',
    security: [],
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
