import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';

/** The BullMQ job states an operator watches: backlog, work in progress, retries, failures. */
export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
] as const;

/**
 * `tn1_queue_jobs{queue, state}`: the number of jobs of each served queue in each state, read from
 * BullMQ when Prometheus scrapes (one pipelined round trip per queue). Nothing is reported while
 * the queue connection is down: the readiness check says that, and a gauge of stale zeros would lie.
 */
export function registerQueueGauges(
  registry: Registry,
  connection: Redis,
  queues: () => readonly Queue[],
): Gauge {
  return new Gauge({
    name: 'tn1_queue_jobs',
    help: 'BullMQ jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      if (connection.status !== 'ready') return;
      for (const queue of queues()) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
}
