import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { assertQueueRedis } from './runtime/queue-redis';
import { workerAppConfigSchema, type WorkerAppConfig } from './worker.config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(workerAppConfigSchema, 'worker') as WorkerAppConfig;
  await assertQueueRedis(config.QUEUE_REDIS_URL);
  await startService({ app: 'worker', config, natsServer: false, imports: [WorkerModule.forRoot(config)] });
}

main().catch(exitOnStartupFailure('worker'));
