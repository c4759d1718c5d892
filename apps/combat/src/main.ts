import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';

const config = loadConfigOrExit(serviceConfigSchema('combat'), 'combat');

startService({ app: 'combat', config, natsServer: true, imports: [] }).catch(exitOnStartupFailure('combat'));
