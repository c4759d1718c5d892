import { UnrecoverableError, type Job } from 'bullmq';
import { PROCESSING_QUEUES, SCHEDULES_QUEUE, type ProcessingQueue, type QueueName } from './names';
import { parseJobPayload, type JobPayload } from './payloads';
import { SCHEDULES, type ScheduleDefinition, type ScheduleName } from './schedules';

/** Handles one job of a processing queue; the payload is already validated. */
export type QueueProcessor<Q extends ProcessingQueue> = (
  payload: JobPayload<Q>,
  job: Job,
) => Promise<unknown>;

/** One tick of a schedule. */
export interface ScheduleRun {
  schedule: ScheduleDefinition;
  /** The tick this run stands for (the scheduler's planned time, not when it started). */
  tick: Date;
  job: Job;
}
export type ScheduleHandler = (run: ScheduleRun) => Promise<unknown>;

/** The function a BullMQ Worker runs for every job of one queue. */
export type JobHandler = (job: Job) => Promise<unknown>;

interface Registration<F> {
  owner: string;
  fn: F;
}

/** Thrown by `validate`; the message lists every problem at once. */
export class ProcessorRegistryError extends Error {
  constructor(readonly problems: string[]) {
    super(`Worker processors are misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProcessorRegistryError';
  }
}

/**
 * Where processors announce themselves. Registration never fails; `validate` then refuses a
 * served queue (or an enabled schedule) with no processor or with more than one, so a
 * misconfigured worker stops at start-up instead of silently dropping or double-running jobs.
 */
export class ProcessorRegistry {
  private readonly queues = new Map<ProcessingQueue, Registration<QueueProcessor<never>>[]>();
  private readonly schedules = new Map<ScheduleName, Registration<ScheduleHandler>[]>();

  constructor(readonly table: readonly ScheduleDefinition[] = SCHEDULES) {}

  /** Adds the processor of a processing queue; `owner` names it in error messages. */
  registerQueue<Q extends ProcessingQueue>(
    queue: Q,
    processor: QueueProcessor<Q>,
    owner = 'anonymous',
  ): void {
    push(this.queues, queue, { owner, fn: processor as QueueProcessor<never> });
  }

  /** Adds the handler of a schedule (a job name on the schedules queue). */
  registerSchedule(name: ScheduleName, handler: ScheduleHandler, owner = 'anonymous'): void {
    push(this.schedules, name, { owner, fn: handler });
  }

  /** Queues some processor is registered for: the worker's default WORKER_QUEUES. */
  queuesWithProcessors(): QueueName[] {
    const served: QueueName[] = PROCESSING_QUEUES.filter((q) => (this.queues.get(q)?.length ?? 0) > 0);
    if (this.schedules.size > 0) served.push(SCHEDULES_QUEUE);
    return served;
  }

  /** Schedules the worker registers in Redis. */
  activeSchedules(): ScheduleDefinition[] {
    return this.table.filter((s) => s.enabled);
  }

  /** Schedules left out, with the reason (logged at boot). */
  inactiveSchedules(): { schedule: ScheduleDefinition; reason: string }[] {
    return this.table
      .filter((s) => !s.enabled)
      .map((schedule) => ({
        schedule,
        reason: this.schedules.has(schedule.name)
          ? 'disabled in the schedule table'
          : 'processor not built yet',
      }));
  }

  /** Throws ProcessorRegistryError unless every served queue and enabled schedule has one processor. */
  validate(served: readonly QueueName[]): void {
    const problems: string[] = [];
    for (const queue of served) {
      if (queue === SCHEDULES_QUEUE) problems.push(...this.scheduleProblems());
      else problems.push(...countProblems(`queue ${queue}`, this.queues.get(queue)));
    }
    if (problems.length > 0) throw new ProcessorRegistryError(problems);
  }

  /** The handler a BullMQ Worker of `queue` runs; call after `validate`. */
  handlerFor(queue: QueueName): JobHandler {
    if (queue === SCHEDULES_QUEUE) return (job) => this.runSchedule(job);
    const processor = only(this.queues.get(queue), `queue ${queue}`);
    return async (job) => processor(parseJobPayload(queue, job.data) as never, job);
  }

  private scheduleProblems(): string[] {
    const problems: string[] = [];
    for (const schedule of this.table) {
      const registered = this.schedules.get(schedule.name);
      // A disabled schedule may lack a handler (its domain is not built yet), never have two.
      if (!schedule.enabled && (registered?.length ?? 0) <= 1) continue;
      problems.push(...countProblems(`schedule ${schedule.name} (${schedule.domain})`, registered));
    }
    return problems;
  }

  private async runSchedule(job: Job): Promise<unknown> {
    const schedule = this.table.find((s) => s.name === job.name);
    // Retrying cannot help a job whose name no schedule has (a typo, a removed schedule).
    if (!schedule) throw new UnrecoverableError(`no schedule named ${job.name}`);
    // Queued before its schedule was switched off (the worker removes the scheduler at boot).
    if (!schedule.enabled) return { skipped: 'schedule disabled' };
    const handler = only(this.schedules.get(schedule.name), `schedule ${schedule.name}`);
    return handler({ schedule, tick: scheduledTick(job), job });
  }
}

/**
 * The tick a job stands for. A job scheduler names its jobs `repeat:<scheduler>:<millis>` with
 * the planned time; other jobs (boot runs) stand for the moment they were added.
 */
export function scheduledTick(job: Pick<Job, 'id' | 'timestamp'>): Date {
  const match = /^repeat:.+:(\d+)$/.exec(job.id ?? '');
  return new Date(match ? Number(match[1]) : job.timestamp);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

function countProblems(what: string, registered: Registration<unknown>[] | undefined): string[] {
  const owners = (registered ?? []).map((r) => r.owner);
  if (owners.length === 0) return [`${what} has no processor`];
  if (owners.length > 1)
    return [`${what} has ${owners.length} processors (${owners.join(', ')}); exactly one must own it`];
  return [];
}

function only<F>(registered: Registration<F>[] | undefined, what: string): F {
  if (registered?.length !== 1) throw new ProcessorRegistryError(countProblems(what, registered));
  return registered[0].fn;
}
