import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { MarketOps, type RequestOf } from '@trustno1/contracts';
import { ClaimsService } from './claims.service';

const { listClaims, collectClaim } = MarketOps;

@Controller()
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Handle(listClaims)
  list(request: RequestOf<typeof listClaims>, call: Call<typeof listClaims>) {
    return this.claims.list(call.principal, request.playerId);
  }

  @Handle(collectClaim)
  collect(request: RequestOf<typeof collectClaim>, call: Call<typeof collectClaim>) {
    return this.claims.collect(call.principal, request, call.idempotency);
  }
}
