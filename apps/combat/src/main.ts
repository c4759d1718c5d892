import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { combatConfigSchema } from './combat-config';
import { CombatModule } from './combat.module';

const config = loadConfigOrExit(combatConfigSchema, 'combat');

// Health (/health/live, /health/ready: PostgreSQL, Redis, NATS), metrics, the NATS server with
// sealed principals and the graceful shutdown all come from startService.
startService({ app: 'combat', config, natsServer: true, imports: [CombatModule.forRoot(config)] }).catch(
  exitOnStartupFailure('combat'),
);
