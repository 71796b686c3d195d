import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, AUTHENTICATED_ERRORS, badRequest } from '../common/api-error-responses';
import { CostService } from './cost.service';
import { CostReportQueryDto } from './dto/cost-report.query.dto';
import { CostBreakdownDto, CostReportDto } from './dto/cost-report.response.dto';

/** Authenticated (Bearer key), unlike /metrics: it shows spending. */
@ApiTags('costs')
@ApiExtraModels(CostBreakdownDto)
@Controller('metrics/costs')
export class CostController {
  constructor(private readonly costs: CostService) {}

  @Get()
  @ApiOperation({
    summary: 'LLM cost and token totals for a period, by operation, model and provider',
    description: 'Summed over every replica from the store. 400 for an unknown `period`; 503 while Redis is down.',
  })
  @ApiOkResponse({ type: CostReportDto })
  @ApiErrorResponses(
    ...AUTHENTICATED_ERRORS,
    badRequest(
      '`period` desconocido',
      'period',
      'period must be one of the following values: today, yesterday, this_week, this_month, last_30_days, all_time',
      'El campo "period" tiene un valor no admitido (valores: today, yesterday, this_week, this_month, last_30_days, all_time).',
    ),
    [503, 'Redis no está disponible: los totales viven allí (los costos de este lapso se guardan al volver)'],
  )
  report(@Query() query: CostReportQueryDto): Promise<CostReportDto> {
    return this.costs.report(query.period ?? 'today');
  }
}
