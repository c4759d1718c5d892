import { AccountsRoutesModule } from './accounts/accounts.routes';
import { CharactersRoutesModule } from './characters/characters.routes';
import { OperationRoutesModule } from './operations/operations.module';
import { MatchmakingRoutesModule } from './matchmaking/matchmaking.routes';
import { PresenceRoutesModule } from './presence/presence.routes';
import { ServersRoutesModule } from './servers/servers.routes';

/** Every module of `/v1` routes; each domain adds its own. */
export const ROUTE_MODULES = [
  OperationRoutesModule,
  AccountsRoutesModule,
  CharactersRoutesModule,
  ServersRoutesModule,
  PresenceRoutesModule,
  MatchmakingRoutesModule,
];
