import { createHash } from 'node:crypto';
import type { ProcessingQueue } from './names';
import type {
  AiPathfindingJob,
  EventSpawnJob,
  JobPayload,
  LootGenerationJob,
  RaidAlertJob,
  StructureDecayJob,
} from './payloads';

/**
 * BullMQ refuses custom job ids containing ':' (and purely numeric ones), so parts are joined
 * with '.' and ISO ticks are written without '-' and ':'. Payload tokens cannot contain '.',
 * so no two payloads share an id.
 */
const SEP = '.';

/** `2026-01-01T00:10:00Z` and `2026-01-01T00:10:00.000+00:00` name the same tick. */
export function compactTick(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new Error(`invalid tick: ${JSON.stringify(iso)}`);
  return time.toISOString().replace(/[-:]/g, '');
}

export const lootJobId = (p: LootGenerationJob) => ['loot', p.containerId, p.cycle].join(SEP);

export const decayJobId = (p: StructureDecayJob) =>
  ['decay', p.chunkX, p.chunkZ, compactTick(p.tick)].join(SEP);

export const eventSpawnJobId = (p: EventSpawnJob) =>
  ['event', p.templateId, p.region ?? 'any', compactTick(p.tick)].join(SEP);

/** Same request, same id: a repeated request finds the job (and its result) already there. */
export const pathfindingJobId = (p: AiPathfindingJob) => {
  const canonical = JSON.stringify([p.from.x, p.from.z, p.to.x, p.to.z, p.requestedBy ?? null]);
  return ['path', createHash('sha256').update(canonical).digest('hex').slice(0, 32)].join(SEP);
};

/** One job per alert delivery: the consumer enqueueing it again finds it. */
export const raidAlertJobId = (p: RaidAlertJob) => ['raidalert', p.deliveryId].join(SEP);

const BUILDERS: { [Q in ProcessingQueue]: (payload: JobPayload<Q>) => string } = {
  loot_generation: lootJobId,
  structure_decay: decayJobId,
  event_spawn: eventSpawnJobId,
  ai_pathfinding: pathfindingJobId,
  raid_alerts: raidAlertJobId,
};

/** The idempotent job id of a (validated) payload. */
export function jobIdFor<Q extends ProcessingQueue>(queue: Q, payload: JobPayload<Q>): string {
  return BUILDERS[queue](payload);
}
