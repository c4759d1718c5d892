import { Module } from '@nestjs/common';
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
  WorldOps,
} from '@trustno1/contracts';
import { operationsController } from './operation-routes';

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
);

/** HTTP routes generated from the operations of libs/contracts. */
@Module({ controllers: [operationsController(GATEWAY_OPERATIONS)] })
export class OperationRoutesModule {}
