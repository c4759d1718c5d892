import { PROCESSING_QUEUES, type ProcessingQueue } from '@trustno1/redis';

export { PROCESSING_QUEUES, type ProcessingQueue };

/** The queue that carries the repeatable schedules of SPEC §6 (one job name per schedule). */
export const SCHEDULES_QUEUE = 'schedules';

/** Every BullMQ queue the worker can serve: the seed's four plus the schedules queue. */
export const QUEUE_NAMES = [...PROCESSING_QUEUES, SCHEDULES_QUEUE] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * BullMQ writes `<prefix>:<queue>:<suffix>`; with `queue` as the prefix a queue's keys sit under
 * the seed's `queue:<name>` (RedisKeys.processingQueue). The app's REDIS_KEY_PREFIX goes first,
 * the same way ioredis applies it to every other key, so test files stay apart.
 */
export function bullmqPrefix(redisKeyPrefix = ''): string {
  return `${redisKeyPrefix}queue`;
}

/** True when `name` is one of QUEUE_NAMES. */
export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
