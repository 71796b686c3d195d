import { Module } from '@nestjs/common';
import { CostRecorder } from './cost.port';
import { CostService } from './cost.service';

@Module({
  providers: [CostService, { provide: CostRecorder, useExisting: CostService }],
  exports: [CostRecorder, CostService],
})
export class CostModule {}
