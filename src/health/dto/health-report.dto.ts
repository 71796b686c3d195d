import { ApiProperty } from '@nestjs/swagger';

export class HealthChecksDto {
  @ApiProperty({ example: true }) anthropic_configured!: boolean;
  @ApiProperty({ example: true }) openai_configured!: boolean;
  @ApiProperty({ example: true, description: 'false in memory mode too: read dependencies.redis.status' })
  redis_connected!: boolean;
  @ApiProperty({ example: true }) knowledge_base_loaded!: boolean;
}

export class RedisDependencyDto {
  @ApiProperty({ enum: ['up', 'down', 'memory'], example: 'up' }) status!: string;
  @ApiProperty({ type: Number, nullable: true, example: 0.4, description: 'PING round trip (null when not up)' })
  latency_ms!: number | null;
}

export class ProviderDependencyDto {
  @ApiProperty({ enum: ['configured', 'not_configured', 'circuit_open'], example: 'configured' }) status!: string;
  @ApiProperty({ example: 'claude-sonnet-4-6' }) model!: string;
}

export class HealthDependenciesDto {
  @ApiProperty({ type: RedisDependencyDto }) redis!: RedisDependencyDto;
  @ApiProperty({ type: ProviderDependencyDto }) anthropic!: ProviderDependencyDto;
  @ApiProperty({ type: ProviderDependencyDto, example: { status: 'configured', model: 'gpt-4.1-mini' } })
  openai!: ProviderDependencyDto;
}

export class KnowledgeStatsDto {
  @ApiProperty({ example: 46 }) documents_count!: number;
  @ApiProperty({ example: 260 }) total_tags!: number;
  @ApiProperty({ example: 0, description: 'documents whose `reviewed` date is more than 12 months old' })
  not_reviewed_last_12_months!: number;
  @ApiProperty({ type: [String], example: [], description: 'ids of those documents, oldest review first' })
  stale_documents!: string[];
}

/** GET /health: what Odoo's "Probar Conexión" reads (`status`). */
export class HealthReportDto {
  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    example: 'healthy',
    description: 'degraded: no LLM usable (answers from the knowledge base); unhealthy (503): not ready',
  })
  status!: string;
  @ApiProperty({ example: 'AI Microservice - DTE Intelligence' }) service!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) timestamp!: string;
  @ApiProperty({ example: 3600 }) uptime_seconds!: number;
  @ApiProperty({ type: HealthChecksDto }) checks!: HealthChecksDto;
  @ApiProperty({ type: HealthDependenciesDto }) dependencies!: HealthDependenciesDto;
  @ApiProperty({ type: KnowledgeStatsDto }) stats!: KnowledgeStatsDto;
}
