/** The QueueProducer the decay scan enqueues structure_decay jobs with. */
export const DECAY_PRODUCER = Symbol('DECAY_PRODUCER');
