import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';

/** The one CLOCK, for every module (tests override this token). */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
