/** The QueueProducer the world service enqueues ai_pathfinding jobs with. */
export const PATHS_PRODUCER = Symbol('PATHS_PRODUCER');
/** Its own BullMQ connection (QUEUE_REDIS_URL), closed with the module. */
export const PATHS_QUEUE_CONNECTION = Symbol('PATHS_QUEUE_CONNECTION');
