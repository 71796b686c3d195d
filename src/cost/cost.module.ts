import { Module } from '@nestjs/common';
import { CostController } from './cost.controller';
import { costMetricProviders } from './cost.metrics';
import { CostRecorder } from './cost.port';
import { CostService } from './cost.service';
import { SpendMetrics, spendMetricProviders } from './spend.metrics';

@Module({
  controllers: [CostController],
  providers: [
    ...costMetricProviders,
    CostService,
    ...spendMetricProviders,
    SpendMetrics,
    { provide: CostRecorder, useExisting: CostService },
  ],
  exports: [CostRecorder, CostService],
})
export class CostModule {}
