import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CLOCK, systemClock } from '../cost/clock';
import { LlmModule } from '../llm/llm.module';
import { HttpSiiFetcher } from './http-sii.fetcher';
import { SII_FETCHER } from './sii-fetcher.port';
import { SiiController } from './sii.controller';
import { siiMetricProviders } from './sii.metrics';
import { SiiNewsRepository } from './sii-news.repository';
import { SiiScheduler } from './sii.scheduler';
import { SiiService } from './sii.service';

@Module({
  imports: [ScheduleModule.forRoot(), LlmModule],
  controllers: [SiiController],
  providers: [
    ...siiMetricProviders,
    { provide: SII_FETCHER, useFactory: () => new HttpSiiFetcher() },
    { provide: CLOCK, useValue: systemClock },
    SiiNewsRepository,
    SiiService,
    SiiScheduler,
  ],
})
export class SiiModule {}
