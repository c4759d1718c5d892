import { Module } from '@nestjs/common';
import { PricesModule } from './prices/prices.module';
import { StatusModule } from './status/status.module';
import { TradesModule } from './trades/trades.module';

/** The market service: one module per feature folder. */
@Module({ imports: [StatusModule, PricesModule, TradesModule] })
export class MarketModule {}
