import { Module } from '@nestjs/common';
import { StatusModule } from './status/status.module';

/** The market service: one module per feature folder. */
@Module({ imports: [StatusModule] })
export class MarketModule {}
