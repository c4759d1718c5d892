import { Module, type DynamicModule } from '@nestjs/common';
import { DecayModule } from './decay/decay.module';
import { InventoryJobsModule } from './inventory/inventory.module';
import { LogsArchiveModule } from './logs-archive/logs-archive.module';
import { MatchmakingModule } from './matchmaking/matchmaking.module';
import { OutboxRelayModule } from './outbox/outbox-relay.module';
import { PartitionsModule } from './partitions/partitions.module';
import { PresenceModule } from './presence/presence.module';
import { WorkerCoreModule } from './runtime/worker-core.module';
import { WorkerRuntime } from './runtime/worker-runtime';
import { VehiclesModule } from './vehicles/vehicles.module';
import { TerritoriesModule } from './territories/territories.module';
import { EventsModule } from './events/events.module';
import { PathsModule } from './paths/paths.module';
import type { WorkerAppConfig } from './worker.config';

/**
 * The worker: processor modules register into the ProcessorRegistry, then WorkerRuntime starts the
 * BullMQ workers and schedules. Domain processors join here as their issues land.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerAppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        WorkerCoreModule.forRoot(config),
        PartitionsModule,
        LogsArchiveModule,
        PresenceModule,
        MatchmakingModule,
        OutboxRelayModule,
        DecayModule,
        InventoryJobsModule,
        VehiclesModule,
        TerritoriesModule,
        EventsModule,
        PathsModule,
      ],
      providers: [WorkerRuntime],
    };
  }
}
