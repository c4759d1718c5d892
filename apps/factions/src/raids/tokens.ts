/** The QueueProducer the factions service enqueues raid_alerts jobs with. */
export const RAID_ALERTS_PRODUCER = Symbol('RAID_ALERTS_PRODUCER');
/** Its own BullMQ connection (QUEUE_REDIS_URL), closed with the module. */
export const RAID_ALERTS_QUEUE_CONNECTION = Symbol('RAID_ALERTS_QUEUE_CONNECTION');
