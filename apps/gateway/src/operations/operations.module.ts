import { Module, type DynamicModule } from '@nestjs/common';
import {
  AccountsOps,
  CombatOps,
  FactionsOps,
  InventoryOps,
  MarketOps,
  MarketPriceOps,
  operationsOf,
  ProjectileOps,
  RaidOps,
  TradeOps,
  SeasonsOps,
  WorldOps,
} from '@trustno1/contracts';
import { operationsController } from './operation-routes';
import { QUEUED_CALLS_CONFIG, QueuedCallPublisher, type QueuedCallsConfig } from './queued-call.publisher';

/** Every operation the gateway serves from its definition; each domain adds its group here. */
export const GATEWAY_OPERATIONS = operationsOf(
  AccountsOps,
  InventoryOps,
  WorldOps,
  CombatOps,
  ProjectileOps,
  RaidOps,
  MarketOps,
  MarketPriceOps,
  TradeOps,
  FactionsOps,
  SeasonsOps,
);

/** HTTP routes generated from the operations of libs/contracts. */
@Module({})
export class OperationRoutesModule {
  static forRoot(config: QueuedCallsConfig): DynamicModule {
    return {
      module: OperationRoutesModule,
      controllers: [operationsController(GATEWAY_OPERATIONS)],
      providers: [{ provide: QUEUED_CALLS_CONFIG, useValue: config }, QueuedCallPublisher],
    };
  }
}
