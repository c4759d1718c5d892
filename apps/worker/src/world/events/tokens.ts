/** The QueueProducer the events.spawn schedule enqueues event_spawn jobs with. */
export const EVENTS_PRODUCER = Symbol('EVENTS_PRODUCER');
