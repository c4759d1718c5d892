import { Global, Module } from '@nestjs/common';

/** Injection token of the clock; tests of time rules (the boards' rollover) replace it. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The clock every seasons feature reads. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
