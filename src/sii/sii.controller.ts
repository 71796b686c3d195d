import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SiiMonitorRequestDto } from './dto/sii-monitor.request.dto';
import { SiiMonitorResponseDto, SiiStatusResponseDto } from './dto/sii-monitor.response.dto';
import { SiiStatusQueryDto } from './dto/sii-status.query.dto';
import { SiiService } from './sii.service';

@ApiTags('sii')
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
  monitor(@Body() body: SiiMonitorRequestDto): Promise<SiiMonitorResponseDto> {
    return this.sii.monitor(body?.urls, 'api');
  }

  @Get('status')
  @ApiOperation({ summary: 'Last monitoring run and the latest SII publications with impact and urgency' })
  @ApiOkResponse({ type: SiiStatusResponseDto })
  status(@Query() query: SiiStatusQueryDto): Promise<SiiStatusResponseDto> {
    return this.sii.status(query.limit ?? 20);
  }
}
