import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';

const config = loadConfigOrExit(serviceConfigSchema('world'), 'world');

startService({ app: 'world', config, natsServer: true, imports: [] }).catch(exitOnStartupFailure('world'));
