import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, AUTHENTICATED_ERRORS, badRequest, JSON_BODY_ERRORS } from '../common/api-error-responses';
import { SiiMonitorRequestDto } from './dto/sii-monitor.request.dto';
import { SiiMonitorResponseDto, SiiStatusResponseDto } from './dto/sii-monitor.response.dto';
import { SiiStatusQueryDto } from './dto/sii-status.query.dto';
import { SiiService } from './sii.service';

@ApiTags('sii')
@ApiErrorResponses(...AUTHENTICATED_ERRORS, [
  503,
  'Redis no está disponible (las publicaciones y el candado de ejecución viven allí)',
])
@Controller('api/ai/sii')
export class SiiController {
  constructor(private readonly sii: SiiService) {}

  @Post('monitor')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reads the SII news pages, analyses what is new with the LLM and stores it',
    description:
      'Items already seen in an earlier run are skipped. A page that cannot be read is reported in `pages` ' +
      'with `ok: false`; the run goes on with the others. Without an LLM, new items are stored with `urgency: "unknown"`.',
  })
  @ApiOkResponse({ type: SiiMonitorResponseDto })
  @ApiErrorResponses(
    ...JSON_BODY_ERRORS.filter((status) => status !== 400),
    badRequest(
      '`urls` no es una lista de a lo más 10 URL http(s)',
      'urls',
      'each value in urls must be a URL address',
      'El campo "urls" debe ser una URL válida.',
    ),
  )
  monitor(@Body() body: SiiMonitorRequestDto): Promise<SiiMonitorResponseDto> {
    return this.sii.monitor(body?.urls, 'api');
  }

  @Get('status')
  @ApiOperation({ summary: 'Last monitoring run and the latest SII publications with impact and urgency' })
  @ApiOkResponse({ type: SiiStatusResponseDto })
  @ApiErrorResponses(
    badRequest(
      '`limit` fuera de 1–100',
      'limit',
      'limit must not be less than 1',
      'El campo "limit" debe ser mayor o igual a 1.',
    ),
  )
  status(@Query() query: SiiStatusQueryDto): Promise<SiiStatusResponseDto> {
    return this.sii.status(query.limit ?? 20);
  }
}
