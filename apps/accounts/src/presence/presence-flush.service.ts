import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FlushView } from '@trustno1/contracts';
import { CLOCK, type Clock } from '../clock/clock';
import { PresenceCache } from './presence.cache';
import { PresenceRepository, type FlushRow } from './presence.repository';

export const FLUSH_BATCH_SIZE = 500;
/** Batches per run: a run stays short; what is left waits for the next tick (10 s). */
const FLUSH_MAX_BATCHES = 40;
const FINALIZE_BATCH_SIZE = 500;

/**
 * `accounts.presence.flush.v1`, run by the worker's `positions.flush` schedule: writes the states of
 * dirty players from Redis to PostgreSQL in batches (one statement each) and takes lingering
 * players offline once their anti combat-log window is over.
 */
@Injectable()
export class PresenceFlushService {
  private readonly logger = new Logger('presence-flush');

  constructor(
    private readonly repository: PresenceRepository,
    private readonly cache: PresenceCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(batchSize = FLUSH_BATCH_SIZE): Promise<FlushView> {
    let flushed = 0;
    for (let batch = 0; batch < FLUSH_MAX_BATCHES; batch++) {
      const written = await this.flushBatch(batchSize);
      if (written === null) break;
      flushed += written;
    }
    const finalized = await this.finalizeLingerers();
    if (finalized > 0) this.logger.log({ finalized }, 'lingering players taken offline');
    return { flushed, finalized };
  }

  /**
   * One batch off the dirty set; null when the set is empty. SPOP takes the ids, so if the write
   * fails they are put back; a crash between the two loses only those players' last few seconds
   * until their next state update marks them dirty again.
   */
  private async flushBatch(batchSize: number): Promise<number | null> {
    const ids = await this.cache.popDirty(batchSize);
    if (ids.length === 0) return null;
    try {
      const states = await this.cache.readStates(ids);
      const rows: FlushRow[] = [];
      states.forEach((state, i) => {
        if (!state) return; // expired or left since it was marked: nothing to write
        const { serverId, position, rotation, chunkX, chunkZ, health, updatedAt } = state;
        rows.push({
          playerId: ids[i],
          serverId,
          position,
          rotation,
          chunkX,
          chunkZ,
          health,
          seenAtMs: updatedAt,
        });
      });
      return await this.repository.flushPositions(rows);
    } catch (error) {
      await this.cache.restoreDirty(ids);
      throw error;
    }
  }

  /** A finalization is a leave at `linger_until`: offline, out of the chunk, playtime credited. */
  private async finalizeLingerers(): Promise<number> {
    const now = this.clock.now();
    const due = await this.repository.lingerersDue(now, FINALIZE_BATCH_SIZE);
    if (due.length === 0) return 0;
    const states = await this.cache.readStates(due.map((d) => d.id));
    const done = await this.repository.finalizeLingerers(
      now,
      due.map((d, i) => ({
        id: d.id,
        joinedAtMs: states[i]?.serverId === d.serverId ? states[i].joinedAt : null,
      })),
    );
    const doneSet = new Set(done);
    await this.cache.clear(
      due
        .map((d, i) => ({ d, state: states[i] }))
        .filter(({ d }) => doneSet.has(d.id))
        .map(({ d, state }) => ({
          playerId: d.id,
          chunk: state ? { x: state.chunkX, z: state.chunkZ } : null,
        })),
    );
    return done.length;
  }
}
