import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { CatalogModule } from './catalog/catalog.module';
import { ChunksModule } from './chunks/chunks.module';
import { ClockModule } from './clock/clock.module';
import { WorldSeedModule } from './world-seed/world-seed.module';
import { worldConfigSchema } from './world-config';
import { StructuresModule } from './structures/structures.module';
import { VehiclesModule } from './vehicles/vehicles.module';
import { TerritoriesModule } from './territories/territories.module';
import { EventsModule } from './events/events.module';
import { PathsModule } from './paths/paths.module';

const config = loadConfigOrExit(worldConfigSchema, 'world');

startService({
  app: 'world',
  config,
  natsServer: true,
  imports: [
    ClockModule,
    WorldSeedModule.forRoot(config),
    CatalogModule,
    ChunksModule,
    StructuresModule,
    VehiclesModule,
    TerritoriesModule,
    EventsModule,
    PathsModule.forRoot(config),
  ],
}).catch(exitOnStartupFailure('world'));
