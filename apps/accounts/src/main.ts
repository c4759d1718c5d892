import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';

const config = loadConfigOrExit(serviceConfigSchema('accounts'), 'accounts');

startService({ app: 'accounts', config, natsServer: true, imports: [] }).catch(exitOnStartupFailure('accounts'));
