import { ApiProperty } from '@nestjs/swagger';
import { CHILE_TIME_ZONE } from '../../common/chile-time';
import { COST_PERIODS, CostPeriod } from '../cost-periods';

const BREAKDOWN_EXAMPLE = {
  calls: 1000,
  cost_usd: 2.5,
  input_tokens: 410000,
  output_tokens: 98000,
  cache_read_tokens: 3600000,
  cache_write_tokens: 52000,
};

export class CostBreakdownDto {
  @ApiProperty({ example: 1000 }) calls!: number;
  @ApiProperty({ example: 2.5 }) cost_usd!: number;
  @ApiProperty({ example: 410000, description: 'Plain (uncached) input tokens' }) input_tokens!: number;
  @ApiProperty({ example: 98000 }) output_tokens!: number;
  @ApiProperty({ example: 3600000 }) cache_read_tokens!: number;
  @ApiProperty({ example: 52000, description: 'Cache writes, 5-minute and 1-hour' }) cache_write_tokens!: number;
}

const breakdownMap = (example: Record<string, unknown>, description: string) =>
  ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CostBreakdownDto' },
    example,
    description,
  });

/** GET /metrics/costs. Sums of every replica's counters, read from the store. */
export class CostReportDto {
  @ApiProperty({ enum: COST_PERIODS, example: 'today' }) period!: CostPeriod;
  @ApiProperty({ example: '2026-11-24', description: `First day (inclusive, ${CHILE_TIME_ZONE})` }) from!: string;
  @ApiProperty({ example: '2026-11-24', description: `Last day (inclusive, ${CHILE_TIME_ZONE})` }) to!: string;
  @ApiProperty({ example: CHILE_TIME_ZONE }) timezone!: string;
  @ApiProperty({ example: 4.0 }) total_cost_usd!: number;
  @ApiProperty({ example: 1504, description: 'LLM calls, failed attempts that reported usage included' })
  total_calls!: number;
  @ApiProperty({ example: 610000, description: 'Plain input tokens; cached tokens are counted apart, never twice' })
  total_input_tokens!: number;
  @ApiProperty({ example: 150000 }) total_output_tokens!: number;
  @ApiProperty({ example: 3499.3, description: '(input + cache reads + cache writes + output) / calls' })
  avg_tokens_per_call!: number;
  @ApiProperty({ example: 4400000 }) total_cache_read_tokens!: number;
  @ApiProperty({ example: 52000, description: '5-minute and 1-hour cache writes' }) total_cache_write_tokens!: number;
  @ApiProperty({ example: 0 }) total_cache_write_1h_tokens!: number;
  @ApiProperty({
    example: 0.8694,
    description: 'Prompt-cache hit rate: cache_read / (cache_read + cache_write + input)',
  })
  cache_hit_rate!: number;
  @breakdownMap(
    {
      dte_validation: BREAKDOWN_EXAMPLE,
      chat: { ...BREAKDOWN_EXAMPLE, calls: 500, cost_usd: 1.5 },
      sii_monitoring: { ...BREAKDOWN_EXAMPLE, calls: 4, cost_usd: 0.01 },
    },
    'By operation: chat, dte_validation, sii_monitoring (always present)',
  )
  by_operation!: Record<string, CostBreakdownDto>;
  @breakdownMap({ 'claude-sonnet-4-6': BREAKDOWN_EXAMPLE }, 'By model as reported by the provider')
  by_model!: Record<string, CostBreakdownDto>;
  @breakdownMap({ anthropic: BREAKDOWN_EXAMPLE }, 'By provider: anthropic, openai')
  by_provider!: Record<string, CostBreakdownDto>;
  @ApiProperty({ example: { success: 1500, error: 3, aborted: 1 }, description: 'Calls by outcome' })
  by_outcome!: Record<string, number>;
}
