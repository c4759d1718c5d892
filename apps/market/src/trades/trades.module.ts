import { Module } from '@nestjs/common';
import { loadTradesConfig, TRADES_CONFIG } from './trades-config';
import { TradesController } from './trades.controller';
import { TradesRepository } from './trades.repository';
import { TradesService } from './trades.service';

/** Direct trades (issue 13, rule 6): the trade routes and the market.trades.expire schedule's work. */
@Module({
  controllers: [TradesController],
  providers: [
    { provide: TRADES_CONFIG, useFactory: () => loadTradesConfig() },
    TradesRepository,
    TradesService,
  ],
})
export class TradesModule {}
