import { Injectable } from '@nestjs/common';
import {
  PrismaClient,
  runIdempotentPrisma,
  type IdempotencyClaim,
  type IdempotentOutcome,
  type PrismaDb,
} from '@trustno1/db';

/** A registered, unrevoked server and its seats by registration (min(max_players, 1000)). */
export interface RegisteredServer {
  id: string;
  region: string;
  capacity: number;
}

@Injectable()
export class MatchmakingRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Runs `work` in one transaction with the caller's idempotency record (see runIdempotentPrisma). */
  idempotent<T>(
    claim: IdempotencyClaim | undefined,
    work: (tx: PrismaDb) => Promise<T>,
  ): Promise<IdempotentOutcome<T>> {
    return runIdempotentPrisma(this.prisma, claim, work);
  }

  /** The account owning a character; undefined for an unknown character. */
  async characterOwner(characterId: string): Promise<string | null | undefined> {
    const row = await this.prisma.player.findUnique({
      where: { id: characterId },
      select: { accountId: true },
    });
    return row ? row.accountId : undefined;
  }

  async registeredServers(): Promise<RegisteredServer[]> {
    const rows = await this.prisma.gameServer.findMany({
      where: { revokedAt: null },
      select: { id: true, region: true, maxPlayers: true },
    });
    return rows.map((r) => ({ id: r.id, region: r.region, capacity: Math.min(r.maxPlayers, 1000) }));
  }

  /** Characters joined to each server (lingering ones hold their seat too). */
  async seatsTaken(serverIds: string[]): Promise<Map<string, number>> {
    if (serverIds.length === 0) return new Map();
    const groups = await this.prisma.player.groupBy({
      by: ['serverId'],
      where: { serverId: { in: serverIds } },
      _count: { _all: true },
    });
    return new Map(groups.map((g) => [g.serverId!, g._count._all]));
  }
}
