import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { CommonModule } from './common/common.module';
import { ServersModule } from './servers/servers.module';
import { SessionsModule } from './sessions/sessions.module';

const config = loadConfigOrExit(serviceConfigSchema('accounts'), 'accounts');

startService({
  app: 'accounts',
  config,
  natsServer: true,
  imports: [CommonModule, SessionsModule, ServersModule],
}).catch(exitOnStartupFailure('accounts'));
