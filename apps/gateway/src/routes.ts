import { AccountsRoutesModule } from './accounts/accounts.routes';
import { CharactersRoutesModule } from './characters/characters.routes';
import { OperationRoutesModule } from './operations/operations.module';
import { MatchmakingRoutesModule } from './matchmaking/matchmaking.routes';
import { PresenceRoutesModule } from './presence/presence.routes';
import { ServersRoutesModule } from './servers/servers.routes';
import { StructuresRoutesModule } from './structures/structures.routes';
import { WorldRoutesModule } from './world/world.routes';
import { VehiclesRoutesModule } from './vehicles/vehicles.routes';
import { TerritoriesRoutesModule } from './territories/territories.routes';
import { EventsRoutesModule } from './events/events.routes';
import { PathsRoutesModule } from './paths/paths.routes';

/** Every module of `/v1` routes; each domain adds its own. */
export const ROUTE_MODULES = [
  OperationRoutesModule,
  AccountsRoutesModule,
  CharactersRoutesModule,
  ServersRoutesModule,
  PresenceRoutesModule,
  MatchmakingRoutesModule,
  WorldRoutesModule,
  StructuresRoutesModule,
  VehiclesRoutesModule,
  TerritoriesRoutesModule,
  EventsRoutesModule,
  PathsRoutesModule,
];
