import { Injectable } from '@nestjs/common';
import type { AuthenticatedServer } from '@trustno1/contracts';
import { PrismaClient, type PrismaDb } from '@trustno1/db';

export interface NewServer {
  id: string;
  name: string;
  region: string;
  apiKeyHash: string;
  maxPlayers: number;
}

/** What a heartbeat needs to know about a registered, not revoked server. */
export interface ServerRegistration {
  id: string;
  name: string;
  region: string;
  maxPlayers: number;
}

@Injectable()
export class ServersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The live (not revoked) server whose key has this hash. */
  async findActiveByKeyHash(apiKeyHash: string): Promise<AuthenticatedServer | null> {
    const row = await this.prisma.gameServer.findUnique({
      where: { apiKeyHash, revokedAt: null },
      select: { id: true, region: true, maxPlayers: true },
    });
    return row ? { serverId: row.id, region: row.region, maxPlayers: row.maxPlayers } : null;
  }

  async insert(tx: PrismaDb, server: NewServer): Promise<void> {
    // Raw rather than gameServer.create, which would fill created_at from the app's clock.
    await tx.$executeRaw`
      INSERT INTO game_servers (id, name, region, api_key_hash, max_players)
      VALUES (${server.id}, ${server.name}, ${server.region}, ${server.apiKeyHash}, ${server.maxPlayers})`;
  }

  /**
   * Marks the server revoked (keeping the first revocation time) and returns its region and key
   * hash, or null when no such server exists. Revoking twice is not an error: DELETE is idempotent.
   */
  async revoke(id: string): Promise<{ region: string; apiKeyHash: string } | null> {
    // Raw: the new value depends on the old one (COALESCE), which a typed update cannot say.
    const rows = await this.prisma.$queryRaw<{ region: string; apiKeyHash: string }[]>`
      UPDATE game_servers SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ${id}
      RETURNING region, api_key_hash AS "apiKeyHash"`;
    return rows[0] ?? null;
  }

  async findActive(id: string): Promise<ServerRegistration | null> {
    return this.prisma.gameServer.findUnique({
      where: { id, revokedAt: null },
      select: { id: true, name: true, region: true, maxPlayers: true },
    });
  }

  /** The subset of `ids` that are registered and not revoked. */
  async activeIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.gameServer.findMany({
      where: { id: { in: ids }, revokedAt: null },
      select: { id: true },
    });
    return new Set(rows.map((row) => row.id));
  }
}
