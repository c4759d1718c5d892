import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';

const config = loadConfigOrExit(serviceConfigSchema('inventory'), 'inventory');

startService({ app: 'inventory', config, natsServer: true, imports: [] }).catch(
  exitOnStartupFailure('inventory'),
);
