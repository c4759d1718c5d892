import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';

const config = loadConfigOrExit(serviceConfigSchema('factions'), 'factions');

startService({ app: 'factions', config, natsServer: true, imports: [] }).catch(
  exitOnStartupFailure('factions'),
);
