import type { Queue, RepeatOptions } from 'bullmq';
import { compactTick } from './job-ids';
import type { ScheduleDefinition } from './schedules';

/** BullMQ repeat options of a schedule; cron lines are read in UTC on every replica. */
export function repeatOptions(schedule: ScheduleDefinition): Omit<RepeatOptions, 'key'> {
  return 'every' in schedule.repeat
    ? { every: schedule.repeat.every }
    : { pattern: schedule.repeat.pattern, tz: 'UTC' };
}

/**
 * Makes the job schedulers in Redis match the table: upserts the active ones and removes the
 * inactive ones (a schedule switched off must stop producing jobs). A scheduler lives in Redis,
 * keyed by the schedule's name, so however many replicas call this, each tick yields one job.
 */
export async function syncJobSchedulers(
  queue: Queue,
  active: readonly ScheduleDefinition[],
  inactive: readonly ScheduleDefinition[],
): Promise<void> {
  for (const schedule of active) {
    await queue.upsertJobScheduler(schedule.name, repeatOptions(schedule), {
      name: schedule.name,
      data: { schedule: schedule.name },
    });
  }
  for (const schedule of inactive) await queue.removeJobScheduler(schedule.name);
}

/**
 * Enqueues one run of each `runAtBoot` schedule. The job id names the minute, so replicas that
 * boot together run it once; a later boot runs it again, which these jobs must tolerate.
 */
export async function enqueueBootRuns(
  queue: Queue,
  active: readonly ScheduleDefinition[],
  now = new Date(),
): Promise<string[]> {
  const minute = compactTick(now.toISOString()).slice(0, 13); // 20260101T0010
  const ids: string[] = [];
  for (const schedule of active.filter((s) => s.runAtBoot)) {
    const job = await queue.add(
      schedule.name,
      { schedule: schedule.name },
      { jobId: `${schedule.name}.boot.${minute}` },
    );
    if (job.id) ids.push(job.id);
  }
  return ids;
}
