import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppMetrics, HealthRegistry } from '@trustno1/observability';
import {
  bullmqPrefix,
  createQueue,
  enqueueBootRuns,
  ProcessorRegistry,
  SCHEDULES_QUEUE,
  syncJobSchedulers,
  type QueueName,
} from '@trustno1/queues';
import type { WorkerAppConfig } from '../worker.config';
import { registerQueueGauges } from './queue-gauges';
import { queuesCheck } from './queues.health';
import { QUEUE_CONNECTION, WORKER_CONFIG } from './tokens';

/**
 * Runs the BullMQ side of the worker. Processors register in their modules' onModuleInit; on
 * bootstrap this validates the registry (a failure aborts start-up), starts one Worker per served
 * queue and syncs the job schedulers. On shutdown it closes the workers, which waits for running
 * jobs, before the database pool closes (that happens later, in onApplicationShutdown).
 */
@Injectable()
export class WorkerRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('worker');
  private workers?: Worker[];
  private schedulesQueue?: Queue;
  /** One Queue handle per served queue, for the job counts of the metrics. */
  private counted: Queue[] = [];

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerAppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: Redis,
    private readonly registry: ProcessorRegistry,
    private readonly health: HealthRegistry,
    private readonly metrics: AppMetrics,
  ) {}

  onModuleInit(): void {
    this.health.register(queuesCheck(this.connection, () => this.workers));
    registerQueueGauges(this.metrics.registry, this.connection, () => this.counted);
  }

  async onApplicationBootstrap(): Promise<void> {
    const served = this.config.WORKER_QUEUES ?? this.registry.queuesWithProcessors();
    this.registry.validate(served);
    if (this.connection.status === 'wait') await this.connection.connect();
    this.workers = served.map((queue) => this.startWorker(queue));
    this.counted = served.map((queue) =>
      createQueue(queue, { connection: this.connection, redisKeyPrefix: this.config.REDIS_KEY_PREFIX }),
    );
    if (served.includes(SCHEDULES_QUEUE)) await this.startSchedules();
    this.logger.log({ queues: served }, 'workers started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all((this.workers ?? []).map((w) => w.close()));
    await this.schedulesQueue?.close();
    await Promise.all(this.counted.map((q) => q.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  /** Each served queue and whether its worker is running. */
  status(): { queue: string; running: boolean }[] {
    return (this.workers ?? []).map((w) => ({ queue: w.name, running: w.isRunning() }));
  }

  private startWorker(queue: QueueName): Worker {
    const worker = new Worker(queue, this.registry.handlerFor(queue), {
      connection: this.connection,
      prefix: bullmqPrefix(this.config.REDIS_KEY_PREFIX),
      concurrency: this.concurrencyOf(queue),
    });
    worker.on('completed', (job) => this.count(queue, job, 'completed'));
    worker.on('failed', (job, error) => {
      this.count(queue, job, 'failed');
      this.logger.warn(
        { queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, error: error.message },
        'job failed',
      );
    });
    // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
    worker.on('error', (error) => this.logger.error({ queue, error: error.message }, 'worker error'));
    return worker;
  }

  /** Each schedule runs one job at a time, so a slow archive must not hold up the 10 s flush. */
  private concurrencyOf(queue: QueueName): number {
    if (queue === SCHEDULES_QUEUE) return Math.max(1, this.registry.activeSchedules().length);
    return this.config.WORKER_CONCURRENCY;
  }

  private async startSchedules(): Promise<void> {
    this.schedulesQueue = createQueue(SCHEDULES_QUEUE, {
      connection: this.connection,
      redisKeyPrefix: this.config.REDIS_KEY_PREFIX,
    });
    const active = this.registry.activeSchedules();
    const inactive = this.registry.inactiveSchedules();
    await syncJobSchedulers(
      this.schedulesQueue,
      active,
      inactive.map((i) => i.schedule),
    );
    await enqueueBootRuns(this.schedulesQueue, active);
    this.logger.log({ active: active.map((s) => s.name) }, 'schedules registered');
    const skipped = inactive.map(
      ({ schedule, reason }) => `${schedule.name} (${schedule.domain}): ${reason}`,
    );
    if (skipped.length > 0) this.logger.log({ inactive: skipped }, 'schedules inactive');
  }

  private count(queue: QueueName, job: Job | undefined, outcome: 'completed' | 'failed'): void {
    const label = queue === SCHEDULES_QUEUE && job ? `${queue}/${job.name}` : queue;
    this.metrics.jobs.inc({ queue: label, outcome });
  }
}
