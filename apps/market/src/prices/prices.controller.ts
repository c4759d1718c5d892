import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { MarketPriceOps, type RequestOf } from '@trustno1/contracts';
import { PricesService } from './prices.service';

const { getPrices, updatePrices } = MarketPriceOps;

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  @Handle(getPrices)
  get(request: RequestOf<typeof getPrices>) {
    return this.prices.get(request.itemTemplateId, request.currency);
  }

  @Handle(updatePrices)
  update(request: RequestOf<typeof updatePrices>) {
    return this.prices.update(request.now);
  }
}
