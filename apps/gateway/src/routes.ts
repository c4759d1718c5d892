import { OperationRoutesModule } from './operations/operations.module';
import { StructuresRoutesModule } from './structures/structures.routes';
import { WorldRoutesModule } from './world/world.routes';
import { VehiclesRoutesModule } from './vehicles/vehicles.routes';
import { TerritoriesRoutesModule } from './territories/territories.routes';
import { EventsRoutesModule } from './events/events.routes';
import { PathsRoutesModule } from './paths/paths.routes';

/** Every module of `/v1` routes; each domain adds its own. */
export const ROUTE_MODULES = [
  OperationRoutesModule,
  WorldRoutesModule,
  StructuresRoutesModule,
  VehiclesRoutesModule,
  TerritoriesRoutesModule,
  EventsRoutesModule,
  PathsRoutesModule,
];
