import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUrl } from 'class-validator';

const MAX_MONITOR_URLS = 10;

export class SiiMonitorRequestDto {
  @ApiPropertyOptional({
    description: `Pages to read instead of the configured ones (SII_NEWS_URLS); http(s), at most ${MAX_MONITOR_URLS}. Empty or absent: the configured pages.`,
    example: [
      'https://www.sii.cl/noticias/2025/index.htm',
      'https://www.sii.cl/normativa_legislacion/circulares/2025/indcir2025.htm',
    ],
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MONITOR_URLS)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { each: true })
  urls?: string[];
}
