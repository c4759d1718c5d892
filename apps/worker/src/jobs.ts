// The jobs of each domain, one module per domain folder of the worker. Each module's processors
// register their queues and schedules in the ProcessorRegistry (onModuleInit); the runtime then
// refuses to boot when a served queue or an enabled schedule has no processor or two.
import type { Type } from '@nestjs/common';
import type { ScheduleDomain } from '@trustno1/queues';
import { DecayModule } from './decay/decay.module';
import { EventsModule } from './events/events.module';
import { InventoryJobsModule } from './inventory/inventory.module';
import { LogsArchiveModule } from './logs-archive/logs-archive.module';
import { MatchmakingModule } from './matchmaking/matchmaking.module';
import { OutboxRelayModule } from './outbox/outbox-relay.module';
import { PartitionsModule } from './partitions/partitions.module';
import { PathsModule } from './paths/paths.module';
import { PresenceModule } from './presence/presence.module';
import { TerritoriesModule } from './territories/territories.module';
import { VehiclesModule } from './vehicles/vehicles.module';
import { CombatJobsModule } from './combat/combat-jobs.module';
import { MarketJobsModule } from './market/market-jobs.module';
import { FactionsJobsModule } from './factions/factions-jobs.module';

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
  { domain: 'platform', module: PartitionsModule },
  { domain: 'platform', module: LogsArchiveModule },
  { domain: 'platform', module: OutboxRelayModule },
  { domain: 'accounts', module: PresenceModule },
  { domain: 'accounts', module: MatchmakingModule },
  { domain: 'world', module: DecayModule },
  { domain: 'world', module: VehiclesModule },
  { domain: 'world', module: TerritoriesModule },
  { domain: 'world', module: EventsModule },
  { domain: 'world', module: PathsModule },
  { domain: 'inventory', module: InventoryJobsModule },
  { domain: 'combat', module: CombatJobsModule },
  { domain: 'market', module: MarketJobsModule },
  { domain: 'factions', module: FactionsJobsModule },
  // <domain jobs: nx g @trustno1/generators:service adds its module here>
];
