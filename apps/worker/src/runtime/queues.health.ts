import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { HealthCheck } from '@trustno1/observability';

/** BullMQ's Redis answers and every worker this replica should run is running. */
export function queuesCheck(connection: Redis, workers: () => readonly Worker[] | undefined): HealthCheck {
  return {
    name: 'queues',
    check: async () => {
      // Commands on this connection wait out outages (maxRetriesPerRequest null): do not queue one.
      if (connection.status !== 'ready') throw new Error(`BullMQ connection ${connection.status}`);
      await connection.ping();
      const running = workers();
      if (!running) throw new Error('workers not started');
      const stopped = running.filter((w) => !w.isRunning()).map((w) => w.name);
      if (stopped.length > 0) throw new Error(`workers not running: ${stopped.join(', ')}`);
    },
  };
}
