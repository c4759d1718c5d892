import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { seasonsConfigSchema } from './seasons-config';
import { SeasonsModule } from './seasons.module';

const config = loadConfigOrExit(seasonsConfigSchema, 'seasons');

// Health (/health/live, /health/ready: PostgreSQL, Redis, NATS), metrics, the NATS server with
// sealed principals and the graceful shutdown all come from startService.
startService({ app: 'seasons', config, natsServer: true, imports: [SeasonsModule.forRoot(config)] }).catch(
  exitOnStartupFailure('seasons'),
);
