// The jobs of each domain, one module per domain folder of the worker (apps/worker/src/<domain>/).
// Each module's processors register their queues and schedules in the ProcessorRegistry
// (onModuleInit); the runtime then refuses to boot when a served queue or an enabled schedule has
// no processor or two.
import type { Type } from '@nestjs/common';
import type { ScheduleDomain } from '@trustno1/queues';
import { AccountsJobsModule } from './accounts/accounts-jobs.module';
import { InventoryJobsModule } from './inventory/inventory-jobs.module';
import { PlatformJobsModule } from './platform/platform-jobs.module';
import { WorldJobsModule } from './world/world-jobs.module';
import { CombatJobsModule } from './combat/combat-jobs.module';
import { MarketJobsModule } from './market/market-jobs.module';
import { FactionsJobsModule } from './factions/factions-jobs.module';
import { SeasonsJobsModule } from './seasons/seasons-jobs.module';

/** A domain's jobs: the Nest module whose providers register its processors and schedule handlers. */
export interface DomainJobs {
  domain: ScheduleDomain;
  module: Type<unknown>;
}

/**
 * What the worker runs, by domain. A new domain's module joins here (the service generator adds
 * it); its processors call the owning service over NATS, which keeps the logic and the tables.
 */
export const DOMAIN_JOBS: readonly DomainJobs[] = [
  { domain: 'platform', module: PlatformJobsModule },
  { domain: 'accounts', module: AccountsJobsModule },
  { domain: 'world', module: WorldJobsModule },
  { domain: 'inventory', module: InventoryJobsModule },
  { domain: 'combat', module: CombatJobsModule },
  { domain: 'market', module: MarketJobsModule },
  { domain: 'factions', module: FactionsJobsModule },
  { domain: 'seasons', module: SeasonsJobsModule },
  // <domain jobs: nx g @trustno1/generators:service adds its module here>
];
