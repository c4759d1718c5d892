import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { CharactersModule } from './characters/characters.module';
import { AuthModule } from './auth/auth.module';
import { accountsConfigSchema } from './common/accounts-config';
import { CommonModule } from './common/common.module';
import { MatchmakingModule } from './matchmaking/matchmaking.module';
import { PresenceModule } from './presence/presence.module';
import { ServersModule } from './servers/servers.module';
import { SessionsModule } from './sessions/sessions.module';

const config = loadConfigOrExit(accountsConfigSchema, 'accounts');

startService({
  app: 'accounts',
  config,
  natsServer: true,
  imports: [
    CommonModule.forRoot(config),
    AuthModule,
    SessionsModule,
    ServersModule,
    CharactersModule,
    PresenceModule,
    MatchmakingModule,
  ],
}).catch(exitOnStartupFailure('accounts'));
