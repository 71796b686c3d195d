import { Global, Module } from '@nestjs/common';
import { Lifecycle } from './lifecycle.service';

/** The shutdown phase (draining, stop signal, tracked background work), global like the store. */
@Global()
@Module({ providers: [Lifecycle], exports: [Lifecycle] })
export class LifecycleModule {}
