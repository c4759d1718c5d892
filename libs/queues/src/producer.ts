import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobIdFor } from './job-ids';
import { QUEUE_JOB_OPTIONS } from './job-options';
import { bullmqPrefix, type ProcessingQueue, type QueueName } from './names';
import { parseJobPayload, type JobPayload } from './payloads';

export interface QueueConnectionOptions {
  /** A connection from createQueueConnection (shared by all queues of a process). */
  connection: Redis;
  /** The app's REDIS_KEY_PREFIX; keys land under `<prefix>queue:<name>:…`. */
  redisKeyPrefix?: string;
}

/** A BullMQ Queue under the seed's `queue:<name>` keys with the queue's default job options. */
export function createQueue(name: QueueName, options: QueueConnectionOptions): Queue {
  return new Queue(name, {
    connection: options.connection,
    prefix: bullmqPrefix(options.redisKeyPrefix),
    defaultJobOptions: QUEUE_JOB_OPTIONS[name],
  });
}

export interface EnqueueOptions {
  /** Milliseconds to wait before the job may run. */
  delay?: number;
}

/**
 * What services use to submit jobs: validates the payload against the queue's schema and adds it
 * under its idempotent job id, so submitting the same work twice yields one job.
 */
export class QueueProducer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly options: QueueConnectionOptions) {}

  /** Adds a job (or finds the one already there) and returns its id. */
  async enqueue<Q extends ProcessingQueue>(
    queue: Q,
    payload: JobPayload<Q>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const data = parseJobPayload(queue, payload);
    const job = await this.queue(queue).add(queue, data, {
      jobId: jobIdFor(queue, data),
      delay: options.delay,
    });
    return job.id ?? jobIdFor(queue, data);
  }

  /** The job with this id (e.g. an ai_pathfinding result), if it is still kept. */
  async job(queue: QueueName, jobId: string): Promise<Job | undefined> {
    return (await this.queue(queue).getJob(jobId)) ?? undefined;
  }

  /** The underlying BullMQ queue, created on first use. */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = createQueue(name, this.options);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Closes the queues; the connection belongs to the caller. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
