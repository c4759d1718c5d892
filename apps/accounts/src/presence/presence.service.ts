import { Inject, Injectable } from '@nestjs/common';
import { enqueueEventPrisma } from '@trustno1/bus';
import {
  AccountsEvents,
  AppError,
  ErrorCode,
  type LeaveView,
  type PlayerJoinedEvent,
  type PlayerLeftEvent,
  type PlayerState,
  type PlayerStateView,
  type ChunkPlayersView,
} from '@trustno1/contracts';
import type { IdempotencyClaim } from '@trustno1/db';
import { CLOCK, type Clock } from '../clock/clock';
import { PresenceCache, type StateWrite } from './presence.cache';
import { PresenceRepository, type Placement } from './presence.repository';
import { chunkOf, lingerUntil, playtimeSeconds, type LiveState } from './presence.state';

/** The world's edge in chunks; a position beyond it is refused rather than stored. */
const WORLD_CHUNKS = 1_000_000;
/** Compare-and-set rounds of one join before giving up (each lost round means someone else moved). */
const JOIN_ROUNDS = 5;

/** Thrown inside the join transaction to roll it back (and its idempotency claim) and read again. */
class MovedMeanwhile extends Error {}

function placementOf(state: LiveState | null, serverId: string | null): Placement | null {
  if (!state || state.serverId !== serverId) return null;
  const { position, rotation, chunkX, chunkZ, health } = state;
  return { position, rotation, chunkX, chunkZ, health };
}

/** Who is where: PostgreSQL `players.server_id` is the authority, Redis holds the hot state. */
@Injectable()
export class PresenceService {
  constructor(
    private readonly repository: PresenceRepository,
    private readonly cache: PresenceCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Joins a character to `serverId`. One live server per character: a join while another live
   * server holds the character is ALREADY_ONLINE; a dead server's character is taken over.
   */
  async join(
    serverId: string,
    playerId: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<PlayerStateView> {
    for (let round = 1; round <= JOIN_ROUNDS; round++) {
      const current = await this.repository.findPresence(playerId);
      if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'No such character', { playerId });
      const previous = current.serverId;
      if (previous !== serverId) await this.requireAdmission(current.accountId, serverId, playerId);
      if (previous && previous !== serverId && (await this.cache.isLive(previous))) {
        throw new AppError(ErrorCode.ALREADY_ONLINE, 'The character is online on another server', {
          playerId,
        });
      }
      try {
        return await this.joinFrom(serverId, playerId, previous, claim);
      } catch (error) {
        if (!(error instanceof MovedMeanwhile)) throw error;
      }
    }
    throw new AppError(ErrorCode.ALREADY_ONLINE, 'The character is being joined elsewhere', { playerId });
  }

  /**
   * A server joins only a character whose player is playing: its account has a live login
   * session, or the matchmaker assigned the character to this server. Otherwise 403 FORBIDDEN,
   * reason NO_SESSION_OR_ASSIGNMENT, so a server cannot pull arbitrary characters into its world.
   * A character already joined to this server (a reconnect, a replay) needs neither.
   */
  private async requireAdmission(
    accountId: string | null,
    serverId: string,
    playerId: string,
  ): Promise<void> {
    const nowMs = this.clock.now().getTime();
    if (accountId && (await this.cache.mayJoin(accountId, serverId, playerId, nowMs))) return;
    throw new AppError(
      ErrorCode.FORBIDDEN,
      'The character has no live session and no assignment to this server',
      {
        playerId,
        reason: 'NO_SESSION_OR_ASSIGNMENT',
      },
    );
  }

  private async joinFrom(
    serverId: string,
    playerId: string,
    previous: string | null,
    claim: IdempotencyClaim | undefined,
  ): Promise<PlayerStateView> {
    const old = await this.cache.readState(playerId);
    const now = this.clock.now();
    const carried = placementOf(old, previous);
    // Same server again (a reconnect): the stay goes on. Another server: the dead one's stay ends
    // at its last update and a new one starts now.
    const sameStay = previous === serverId && carried !== null;
    const playtime =
      carried && !sameStay ? playtimeSeconds(old?.joinedAt, old?.updatedAt ?? now.getTime()) : 0;
    const outcome = await this.repository.idempotent(claim, async (tx) => {
      const joined = await this.repository.join(tx, {
        playerId,
        serverId,
        previousServerId: previous,
        at: now,
        carried,
        playtime,
      });
      if (joined === null) throw new AppError(ErrorCode.FORBIDDEN, 'This server is revoked');
      if (joined.kind === 'full') {
        throw new AppError(ErrorCode.LIMIT_REACHED, 'The server is full', { maxPlayers: joined.capacity });
      }
      if (joined.kind === 'moved') throw new MovedMeanwhile();
      const { position, rotation, chunkX, chunkZ, health } = joined.row;
      const view: PlayerStateView = { playerId, serverId, position, rotation, chunkX, chunkZ, health };
      const event: PlayerJoinedEvent = {
        playerId,
        serverId,
        previousServerId: previous === serverId ? null : previous,
        chunkX,
        chunkZ,
        joinedAt: now.toISOString(),
      };
      await enqueueEventPrisma(tx, AccountsEvents.playerJoined, event);
      return view;
    });
    // A replay answers what the first call answered; its Redis state was written then (and if that
    // write failed, the first state batch rebuilds it from PostgreSQL).
    if (outcome.replayed) return outcome.result;
    const view = outcome.result;
    const nowMs = now.getTime();
    const joinedAt = sameStay && old ? old.joinedAt : nowMs;
    await this.cache.writeJoin(playerId, { ...view, joinedAt, updatedAt: nowMs }, old);
    return view;
  }

  /**
   * The server lets a player go. Its last state goes to PostgreSQL at once with the stay's
   * playtime. Within COMBAT_LINGER_SECONDS of combat the player stays in the world, killable,
   * until `lingerUntil` (the position flush then takes it offline); otherwise it is offline now.
   */
  async leave(serverId: string, playerId: string, claim: IdempotencyClaim | undefined): Promise<LeaveView> {
    const current = await this.repository.findPresence(playerId);
    if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'No such character', { playerId });
    if (current.serverId !== serverId)
      throw new AppError(ErrorCode.FORBIDDEN, 'The character is not joined to this server', { playerId });
    const [state, lastCombat] = await Promise.all([
      this.cache.readState(playerId),
      this.cache.lastCombat(playerId),
    ]);
    const now = this.clock.now();
    const until = lingerUntil(lastCombat, now.getTime());
    const placement = placementOf(state, serverId);
    const outcome = await this.repository.idempotent(claim, async (tx) => {
      const left = await this.repository.leave(tx, {
        playerId,
        serverId,
        at: now,
        placement,
        playtime: playtimeSeconds(state?.joinedAt, now.getTime()),
        lingerUntil: until === null ? null : new Date(until),
      });
      if (!left)
        throw new AppError(ErrorCode.FORBIDDEN, 'The character is not joined to this server', { playerId });
      const lingerAt = until === null ? null : new Date(until).toISOString();
      const event: PlayerLeftEvent = {
        playerId,
        serverId,
        reason: lingerAt === null ? 'left' : 'lingering',
        lingerUntil: lingerAt,
        at: now.toISOString(),
      };
      await enqueueEventPrisma(tx, AccountsEvents.playerLeft, event);
      const view: LeaveView = lingerAt === null ? {} : { lingerUntil: lingerAt };
      return view;
    });
    // A replay changes nothing: the first call already did the Redis side.
    if (outcome.replayed) return outcome.result;
    if (until !== null) {
      await this.cache.restartStay(playerId, now.getTime());
    } else {
      await this.cache.clear([{ playerId, chunk: state ? { x: state.chunkX, z: state.chunkZ } : null }]);
    }
    return outcome.result;
  }

  /**
   * A batch of up to 1,000 states, Redis only. Every player must be joined to the calling server
   * (else 403 naming the others, and nothing is written); then one pipeline writes it all.
   * Retrying a batch writes the same states again, so a PUT needs no idempotency record.
   */
  async updateStates(serverId: string, states: PlayerState[]): Promise<void> {
    assertBatchShape(states);
    const ids = states.map((s) => s.playerId);
    const heads = await this.cache.readHeads(ids);
    const unknown = ids.filter((_, i) => heads[i].serverId === null);
    const fromDb =
      unknown.length > 0 ? await this.repository.serversOf(unknown) : new Map<string, string | null>();
    const foreign = ids.filter((id, i) => (heads[i].serverId ?? fromDb.get(id) ?? null) !== serverId);
    if (foreign.length > 0) {
      throw new AppError(ErrorCode.FORBIDDEN, 'Some players are not joined to this server', {
        playerIds: foreign,
      });
    }
    const nowMs = this.clock.now().getTime();
    const writes: StateWrite[] = states.map((s, i) => {
      const head = heads[i];
      return {
        playerId: s.playerId,
        state: {
          serverId,
          position: s.position,
          rotation: s.rotation,
          health: s.health,
          chunkX: chunkOf(s.position.x),
          chunkZ: chunkOf(s.position.z),
          joinedAt: head.joinedAt ?? nowMs,
          updatedAt: nowMs,
        },
        previousChunk:
          head.chunkX !== null && head.chunkZ !== null ? { x: head.chunkX, z: head.chunkZ } : null,
        fresh: head.serverId === null,
      };
    });
    await this.cache.writeBatch(writes);
  }

  /**
   * Ids of the calling server's players in a chunk. Chunk sets are shared by every server's world,
   * so members are checked against their state (this server, this chunk); stale ones are pruned.
   */
  async chunkPlayers(serverId: string, x: number, z: number): Promise<ChunkPlayersView> {
    const members = await this.cache.chunkMembers(x, z);
    if (members.length === 0) return { x, z, playerIds: [] };
    const heads = await this.cache.readHeads(members);
    const playerIds: string[] = [];
    const stale: string[] = [];
    members.forEach((id, i) => {
      const head = heads[i];
      if (head.serverId === null || head.chunkX !== x || head.chunkZ !== z) stale.push(id);
      else if (head.serverId === serverId) playerIds.push(id);
    });
    await this.cache.pruneChunk(x, z, stale);
    return { x, z, playerIds: playerIds.sort() };
  }
}

/** Duplicates and positions beyond the world's edge: 400 naming the field, nothing written. */
function assertBatchShape(states: PlayerState[]): void {
  const seen = new Set<string>();
  const problems: { field: string; message: string }[] = [];
  states.forEach((s, i) => {
    if (seen.has(s.playerId))
      problems.push({ field: `states.${i}.playerId`, message: 'appears twice in this batch' });
    seen.add(s.playerId);
    for (const axis of ['x', 'z'] as const) {
      if (Math.abs(chunkOf(s.position[axis])) > WORLD_CHUNKS) {
        problems.push({ field: `states.${i}.position.${axis}`, message: 'is outside the world' });
      }
    }
  });
  if (problems.length > 0) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      `Invalid request: ${problems.map((p) => p.field).join(', ')}`,
      {
        fields: problems,
      },
    );
  }
}
