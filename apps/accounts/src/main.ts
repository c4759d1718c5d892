import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { CharactersModule } from './characters/characters.module';
import { AccountsModule } from './accounts/accounts.module';
import { accountsConfigSchema } from './accounts-config';
import { ClockModule } from './clock/clock.module';
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
    ClockModule,
    AccountsModule.forRoot(config),
    SessionsModule,
    ServersModule,
    CharactersModule.forRoot(config),
    PresenceModule,
    MatchmakingModule,
  ],
}).catch(exitOnStartupFailure('accounts'));
