import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { factionsConfigSchema } from './factions-config';
import { FactionsModule } from './factions.module';

const config = loadConfigOrExit(factionsConfigSchema, 'factions');

// Health (/health/live, /health/ready: PostgreSQL, Redis, NATS), metrics, the NATS server with
// sealed principals and the graceful shutdown all come from startService.
startService({ app: 'factions', config, natsServer: true, imports: [FactionsModule.forRoot(config)] }).catch(
  exitOnStartupFailure('factions'),
);
