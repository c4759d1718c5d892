import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';

/** What every accounts feature shares: the clock. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class CommonModule {}
