import { gatewayConfigSchema, loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, installShutdown } from '@trustno1/host';
import { createGateway } from './bootstrap';

const config = loadConfigOrExit(gatewayConfigSchema, 'gateway');

async function main(): Promise<void> {
  const app = await createGateway(config);
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  installShutdown(app, config.SHUTDOWN_GRACE_MS);
}

main().catch(exitOnStartupFailure('gateway'));
