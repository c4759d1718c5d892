import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { TradeOps, type RequestOf } from '@trustno1/contracts';
import { TradesService } from './trades.service';

const { openTrade, setOffer, accept, cancel, getTrade, expireTrades } = TradeOps;

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class TradesController {
  constructor(private readonly trades: TradesService) {}

  @Handle(openTrade)
  open(request: RequestOf<typeof openTrade>, call: Call<typeof openTrade>) {
    return this.trades.open(call.principal, request, call.idempotency);
  }

  @Handle(setOffer)
  setOffer(request: RequestOf<typeof setOffer>, call: Call<typeof setOffer>) {
    return this.trades.setOffer(call.principal, request, call.idempotency);
  }

  @Handle(accept)
  accept(request: RequestOf<typeof accept>, call: Call<typeof accept>) {
    return this.trades.accept(call.principal, request, call.idempotency);
  }

  @Handle(cancel)
  cancel(request: RequestOf<typeof cancel>, call: Call<typeof cancel>) {
    return this.trades.cancel(call.principal, request.tradeId);
  }

  @Handle(getTrade)
  get(request: RequestOf<typeof getTrade>, call: Call<typeof getTrade>) {
    return this.trades.get(call.principal, request.tradeId);
  }

  @Handle(expireTrades)
  expire(request: RequestOf<typeof expireTrades>) {
    return this.trades.expire(request.now);
  }
}
