import { Module, type DynamicModule } from '@nestjs/common';
import { DOMAIN_JOBS } from './jobs';
import { WorkerCoreModule } from './runtime/worker-core.module';
import { WorkerRuntime } from './runtime/worker-runtime';
import type { WorkerAppConfig } from './worker.config';

/**
 * The worker: each domain's jobs module (jobs.ts) registers its processors into the
 * ProcessorRegistry, then WorkerRuntime starts the BullMQ workers and schedules.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerAppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [WorkerCoreModule.forRoot(config), ...DOMAIN_JOBS.map((jobs) => jobs.module)],
      providers: [WorkerRuntime],
    };
  }
}
