import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CHILE_TIME_ZONE } from '../../common/chile-time';
import { COST_PERIODS, CostPeriod } from '../cost-periods';

export class CostReportQueryDto {
  @ApiPropertyOptional({
    enum: COST_PERIODS,
    default: 'today',
    example: 'this_month',
    description: `Calendar days in ${CHILE_TIME_ZONE}; weeks start on Monday; last_30_days includes today.`,
  })
  @IsOptional()
  @IsIn(COST_PERIODS)
  period?: CostPeriod;
}
