import { z } from 'zod';
import type { ProcessingQueue } from './names';

// Parts of job ids: a job id may not contain ':' (BullMQ) and our separator is '.'.
const token = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
const tick = z.iso.datetime({ offset: true });
const chunkCoord = z.number().int().min(-1_000_000).max(1_000_000);
const worldPoint = z.object({ x: z.number().finite(), z: z.number().finite() }).strict();

/** Fill one container from its loot table, once per loot cycle. */
export const lootGenerationJob = z
  .object({
    containerId: z.uuid(),
    cycle: token,
    containerType: token,
    biome: token.optional(),
  })
  .strict();

/** Decay one chunk's structures whose upkeep has lapsed, once per decay tick. */
export const structureDecayJob = z.object({ chunkX: chunkCoord, chunkZ: chunkCoord, tick }).strict();

/** Spawn a world event from a template, once per template, region and tick. */
export const eventSpawnJob = z.object({ templateId: token, region: token.optional(), tick }).strict();

/** A* between two world points; the caller fetches the result by job id. */
export const aiPathfindingJob = z
  .object({ from: worldPoint, to: worldPoint, requestedBy: z.string().min(1).max(128).optional() })
  .strict();

/** Send one raid alert (factions.alert_deliveries row) to its faction's webhook (issue 14). */
export const raidAlertJob = z.object({ deliveryId: z.uuid() }).strict();

/** The payload schema of each processing queue. */
export const JOB_PAYLOADS = {
  loot_generation: lootGenerationJob,
  structure_decay: structureDecayJob,
  event_spawn: eventSpawnJob,
  ai_pathfinding: aiPathfindingJob,
  raid_alerts: raidAlertJob,
} as const satisfies Record<ProcessingQueue, z.ZodType>;

export type JobPayload<Q extends ProcessingQueue> = z.infer<(typeof JOB_PAYLOADS)[Q]>;
export type LootGenerationJob = JobPayload<'loot_generation'>;
export type StructureDecayJob = JobPayload<'structure_decay'>;
export type EventSpawnJob = JobPayload<'event_spawn'>;
export type AiPathfindingJob = JobPayload<'ai_pathfinding'>;
export type RaidAlertJob = JobPayload<'raid_alerts'>;

/** Data of every job on the schedules queue; the job name is the schedule's name too. */
export const scheduleJobData = z.object({ schedule: z.string().min(1) });
export type ScheduleJobData = z.infer<typeof scheduleJobData>;

/** Validates a payload for `queue`, throwing a ZodError that names the bad field. */
export function parseJobPayload<Q extends ProcessingQueue>(queue: Q, data: unknown): JobPayload<Q> {
  return JOB_PAYLOADS[queue].parse(data) as JobPayload<Q>;
}
