import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { marketConfigSchema } from './market-config';
import { MarketModule } from './market.module';

const config = loadConfigOrExit(marketConfigSchema, 'market');

// Health (/health/live, /health/ready: PostgreSQL, Redis, NATS), metrics, the NATS server with
// sealed principals and the graceful shutdown all come from startService.
startService({ app: 'market', config, natsServer: true, imports: [MarketModule.forRoot(config)] }).catch(
  exitOnStartupFailure('market'),
);
