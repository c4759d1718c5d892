import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AssignView } from '@trustno1/contracts';
import { CLOCK, type Clock } from '../clock/clock';
import { MatchmakingCache } from './matchmaking.cache';
import { MatchmakingRepository } from './matchmaking.repository';

/** The protocol's ceiling whatever a server says about itself (SPEC §4). */
const SERVER_MAX_PLAYERS = 1000;
const POP_CHUNK = 100;

/** A live server and how many more players it may be sent. */
export interface Seat {
  serverId: string;
  free: number;
}

/**
 * `accounts.matchmaking.assign.v1`, run every 2 s by the worker's `matchmaking.assign` schedule:
 * places queued tickets of each region on that region's live servers with free capacity.
 */
@Injectable()
export class MatchmakingAssigner {
  private readonly logger = new Logger('matchmaking');

  constructor(
    private readonly repository: MatchmakingRepository,
    private readonly cache: MatchmakingCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(): Promise<AssignView> {
    const lease = await this.cache.acquireLease();
    if (!lease) return { ran: false, assigned: 0, dropped: 0 };
    try {
      const totals = { ran: true, assigned: 0, dropped: 0 };
      for (const [region, seats] of await this.seatsByRegion()) {
        const { assigned, dropped } = await this.assignRegion(region, seats);
        totals.assigned += assigned;
        totals.dropped += dropped;
      }
      if (totals.assigned > 0) this.logger.log(totals, 'tickets assigned');
      return totals;
    } finally {
      await this.cache.releaseLease(lease);
    }
  }

  /**
   * Free seats of each live server: min(registered max, heartbeat max, 1000) minus the players
   * there (the larger of the heartbeat's count and PostgreSQL's, as the heartbeat lags joins) minus
   * the seats promised in the last 60 s to players who have not joined yet.
   */
  private async seatsByRegion(): Promise<Map<string, Seat[]>> {
    const servers = await this.repository.registeredServers();
    const heartbeats = await this.cache.heartbeats(servers.map((s) => s.id));
    const live = servers.filter((_, i) => heartbeats[i] !== null);
    const liveBeats = heartbeats.filter((h) => h !== null);
    const ids = live.map((s) => s.id);
    const [taken, pending] = await Promise.all([
      this.repository.seatsTaken(ids),
      this.cache.pendingAssignments(ids, this.clock.now().getTime()),
    ]);
    const byRegion = new Map<string, Seat[]>();
    live.forEach((server, i) => {
      const beat = liveBeats[i];
      const capacity = Math.min(server.capacity, beat.maxPlayers, SERVER_MAX_PLAYERS);
      const free = capacity - Math.max(beat.players, taken.get(server.id) ?? 0) - pending[i];
      if (free <= 0) return;
      byRegion.set(server.region, [...(byRegion.get(server.region) ?? []), { serverId: server.id, free }]);
    });
    return byRegion;
  }

  /** Pops only as many tickets as there are free seats; each goes to the emptiest server. */
  private async assignRegion(region: string, seats: Seat[]): Promise<{ assigned: number; dropped: number }> {
    let assigned = 0;
    let dropped = 0;
    for (;;) {
      const free = seats.reduce((sum, s) => sum + s.free, 0);
      if (free <= 0) break;
      const ticketIds = await this.cache.takeQueued(region, Math.min(free, POP_CHUNK));
      if (ticketIds.length === 0) break;
      for (let i = 0; i < ticketIds.length; i++) {
        const seat = seats.reduce((best, s) => (s.free > best.free ? s : best));
        try {
          if (await this.cache.assign(ticketIds[i], seat.serverId, this.clock.now().getTime())) {
            seat.free -= 1;
            assigned += 1;
          } else {
            dropped += 1;
          }
        } catch (error) {
          // The tickets not handled yet go back to the head of the queue for the next run.
          await this.cache.returnQueued(region, ticketIds.slice(i));
          throw error;
        }
      }
    }
    return { assigned, dropped };
  }
}
