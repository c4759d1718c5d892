import { CHUNK_SIZE, type Health, type Position, type Rotation } from '@trustno1/contracts';
import { COMBAT_LINGER_SECONDS } from '@trustno1/redis';

/** A player's hot state as it lives in the `player:{id}:state` hash. */
export interface LiveState {
  serverId: string;
  position: Position;
  rotation: Rotation;
  health?: Health;
  chunkX: number;
  chunkZ: number;
  /** When this stay on the server began (ms since epoch): playtime is counted from it. */
  joinedAt: number;
  updatedAt: number;
}

/** The chunk of a world coordinate (SPEC §4): floor(coord / 128). */
export function chunkOf(coord: number): number {
  return Math.floor(coord / CHUNK_SIZE);
}

/** Field values of the state hash; JSON for the nested shapes so one HGETALL reads it back. */
export function encodeState(state: LiveState): Record<string, string> {
  const fields: Record<string, string> = {
    serverId: state.serverId,
    position: JSON.stringify(state.position),
    rotation: JSON.stringify(state.rotation),
    chunkX: String(state.chunkX),
    chunkZ: String(state.chunkZ),
    joinedAt: String(state.joinedAt),
    updatedAt: String(state.updatedAt),
  };
  if (state.health) fields.health = JSON.stringify(state.health);
  return fields;
}

/** Reads a state hash back; null when the hash is missing or not one this code wrote. */
export function decodeState(fields: Record<string, string> | null | undefined): LiveState | null {
  if (!fields || !fields.serverId || !fields.position || !fields.rotation) return null;
  try {
    const state: LiveState = {
      serverId: fields.serverId,
      position: JSON.parse(fields.position) as Position,
      rotation: JSON.parse(fields.rotation) as Rotation,
      chunkX: Number(fields.chunkX),
      chunkZ: Number(fields.chunkZ),
      joinedAt: Number(fields.joinedAt),
      updatedAt: Number(fields.updatedAt),
    };
    if (fields.health) state.health = JSON.parse(fields.health) as Health;
    if (![state.chunkX, state.chunkZ].every(Number.isSafeInteger)) return null;
    return state;
  } catch {
    return null;
  }
}

/** Whole seconds between the start of a stay and `until`, never negative. */
export function playtimeSeconds(joinedAt: number | undefined, until: number): number {
  if (joinedAt === undefined || !Number.isFinite(joinedAt)) return 0;
  return Math.max(0, Math.floor((until - joinedAt) / 1000));
}

/**
 * The anti combat-log rule (SPEC §4): a player whose last combat (ms since epoch) is within the
 * window stays in the world until last combat + window. Returns that time, or null to leave now.
 */
export function lingerUntil(
  lastCombatMs: number | null,
  nowMs: number,
  windowSeconds = COMBAT_LINGER_SECONDS,
): number | null {
  if (lastCombatMs === null || !Number.isFinite(lastCombatMs)) return null;
  const until = lastCombatMs + windowSeconds * 1000;
  return until > nowMs ? until : null;
}
