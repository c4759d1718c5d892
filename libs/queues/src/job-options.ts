import type { DefaultJobOptions } from 'bullmq';
import type { QueueName } from './names';

const HOUR = 3_600;
const DAY = 24 * HOUR;

/**
 * Default job options per queue. A finished job is kept for a while because its id is the
 * dedupe key: while it is kept, adding the same job again is a no-op; after that, database
 * constraints make the repeat harmless. Failed jobs stay longer so operators can read them.
 */
export const QUEUE_JOB_OPTIONS: Record<QueueName, DefaultJobOptions> = {
  loot_generation: retried({ completedFor: DAY }),
  structure_decay: retried({ completedFor: DAY }),
  event_spawn: retried({ completedFor: DAY }),
  // The result is read by job id, so it has to outlive the caller's polling.
  ai_pathfinding: {
    attempts: 1,
    removeOnComplete: { age: HOUR, count: 50_000 },
    removeOnFail: { age: HOUR },
  },
  // A webhook POST (issue 14): 5 tries, 2 s, 4 s, 8 s, 16 s apart; failed ones stay a week.
  raid_alerts: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: DAY, count: 100_000 },
    removeOnFail: { age: 7 * DAY, count: 100_000 },
  },
  // A missed tick is covered by the next one; keep a short history for operators.
  schedules: retried({ completedFor: DAY, keep: 1_000 }),
};

function retried({
  completedFor,
  keep = 100_000,
}: {
  completedFor: number;
  keep?: number;
}): DefaultJobOptions {
  return {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: completedFor, count: keep },
    removeOnFail: { age: 7 * DAY, count: keep },
  };
}
