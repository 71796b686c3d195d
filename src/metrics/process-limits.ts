import { getHeapStatistics } from 'node:v8';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

const MEMORY_LIMIT = 'process_memory_limit_bytes';
const HEAP_LIMIT = 'nodejs_heap_size_limit_bytes';

/** Above this a cgroup "limit" means none (cgroup v2 "max" reads as 2^64 − 1). */
const NO_LIMIT = 2 ** 60;

export const processLimitProviders = [
  makeGaugeProvider({
    name: MEMORY_LIMIT,
    help: 'Memory limit of the container (cgroup), bytes; 0 when the process is not limited',
  }),
  makeGaugeProvider({ name: HEAP_LIMIT, help: 'V8 heap size limit (--max-old-space-size or its default), bytes' }),
];

/** The limits the memory alerts compare process_resident_memory_bytes and the heap against. */
@Injectable()
export class ProcessLimits implements OnModuleInit {
  constructor(
    @InjectMetric(MEMORY_LIMIT) private readonly memoryLimit: Gauge<string>,
    @InjectMetric(HEAP_LIMIT) private readonly heapLimit: Gauge<string>,
  ) {}

  onModuleInit() {
    const limit = process.constrainedMemory?.() ?? 0;
    this.memoryLimit.set(limit > 0 && limit < NO_LIMIT ? limit : 0);
    this.heapLimit.set(getHeapStatistics().heap_size_limit);
  }
}
