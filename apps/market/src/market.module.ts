import { Module } from '@nestjs/common';
import { PricesModule } from './prices/prices.module';
import { StatusModule } from './status/status.module';

/** The market service: one module per feature folder. */
@Module({ imports: [StatusModule, PricesModule] })
export class MarketModule {}
