import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';

/** The clock every world feature reads; tests of time rules replace the CLOCK provider. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
