import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';

/** The one CLOCK provider, global like the configuration: modules inject it and never provide their own. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
