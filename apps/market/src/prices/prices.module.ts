import { Module } from '@nestjs/common';
import { PricesCache } from './prices.cache';
import { PricesController } from './prices.controller';
import { PricesRepository } from './prices.repository';
import { PricesService } from './prices.service';

/** Price statistics (issue 13, rule 7): the route and the market.prices.update schedule's work. */
@Module({
  controllers: [PricesController],
  providers: [PricesRepository, PricesCache, PricesService],
})
export class PricesModule {}
