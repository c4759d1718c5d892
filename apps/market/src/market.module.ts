import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClaimsModule } from './claims/claims.module';
import { ListingsModule } from './listings/listings.module';
import { MARKET_CONFIG, type MarketConfig } from './market-config';
import { PricesModule } from './prices/prices.module';
import { StatusModule } from './status/status.module';
import { TradesModule } from './trades/trades.module';
import { WalletsModule } from './wallets/wallets.module';

/** The market service: its settings for every feature, and one module per feature folder. */
@Global()
@Module({})
export class MarketModule {
  static forRoot(config: MarketConfig): DynamicModule {
    return {
      module: MarketModule,
      providers: [{ provide: MARKET_CONFIG, useValue: config }],
      exports: [MARKET_CONFIG],
      imports: [StatusModule, WalletsModule, ListingsModule, ClaimsModule, PricesModule, TradesModule],
    };
  }
}
