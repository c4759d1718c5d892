/** The worker's validated config. */
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
/** The dedicated ioredis connection of BullMQ (QUEUE_REDIS_URL, maxRetriesPerRequest null). */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');
