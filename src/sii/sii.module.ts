import { Logger, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { logEvent } from '../common/log-event';
import { AppConfig } from '../config/app-config';
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
    {
      provide: SII_FETCHER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const privateHosts = config.sii.allowedPrivateHosts;
        if (privateHosts.length)
          logEvent(new Logger('SiiMonitor'), 'sii_private_hosts_allowed', { hosts: privateHosts }, 'warn');
        return new HttpSiiFetcher({
          timeoutMs: 15_000,
          maxBytes: 3 * 1024 * 1024,
          allowedUrls: config.sii.urls,
          privateHosts,
        });
      },
    },
    SiiNewsRepository,
    SiiService,
    SiiScheduler,
  ],
})
export class SiiModule {}
