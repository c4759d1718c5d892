import { workerConfigSchema, z } from '@trustno1/config';
import { isQueueName, QUEUE_NAMES, type QueueName } from '@trustno1/queues';

/** WORKER_QUEUES: a comma list of queues this replica serves; unset means every queue with a processor. */
const workerQueues = z
  .string()
  .transform((value, ctx): QueueName[] => {
    const names = [
      ...new Set(
        value
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    ];
    const unknown = names.filter((n) => !isQueueName(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown queue ${unknown.join(', ')}; known: ${QUEUE_NAMES.join(', ')}`,
      });
      return z.NEVER;
    }
    return names as QueueName[];
  })
  .optional();

/** The worker's environment: the shared worker config plus what only this app reads. */
export const workerAppConfigSchema = workerConfigSchema.extend({
  WORKER_QUEUES: workerQueues,
  /** Jobs of one processing queue run at once per replica. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
});

export type WorkerAppConfig = z.infer<typeof workerAppConfigSchema> & { QUEUE_REDIS_URL: string };
