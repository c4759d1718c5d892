import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';

const config = loadConfigOrExit(serviceConfigSchema('market'), 'market');

startService({ app: 'market', config, natsServer: true, imports: [] }).catch(exitOnStartupFailure('market'));
