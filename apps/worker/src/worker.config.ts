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
  /** retention.purge: idempotency records are kept at least 24 h, so a late retry still replays. */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 365)
    .default(48),
  /** Published outbox rows kept for inspection, then purged. */
  OUTBOX_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(72),
  /**
   * Processed-event records: a redelivery older than this would apply twice, so keep it well past
   * the EVENTS stream's redelivery horizon (a consumer down for days still dedupes).
   */
  PROCESSED_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
});

export type WorkerAppConfig = z.infer<typeof workerAppConfigSchema> & { QUEUE_REDIS_URL: string };
