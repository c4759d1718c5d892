import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { MarketOps, type RequestOf } from '@trustno1/contracts';
import { WalletsService } from './wallets.service';

const { listWallets, creditWallet, debitWallet, walletLedger } = MarketOps;

@Controller()
export class WalletsController {
  constructor(private readonly wallets: WalletsService) {}

  @Handle(listWallets)
  list(request: RequestOf<typeof listWallets>, call: Call<typeof listWallets>) {
    return this.wallets.list(call.principal, request.playerId);
  }

  @Handle(creditWallet)
  credit(request: RequestOf<typeof creditWallet>, call: Call<typeof creditWallet>) {
    return this.wallets.change(call.principal, request, 1, call.idempotency);
  }

  @Handle(debitWallet)
  debit(request: RequestOf<typeof debitWallet>, call: Call<typeof debitWallet>) {
    return this.wallets.change(call.principal, request, -1, call.idempotency);
  }

  @Handle(walletLedger)
  ledger(request: RequestOf<typeof walletLedger>, call: Call<typeof walletLedger>) {
    return this.wallets.ledger(call.principal, request);
  }
}
