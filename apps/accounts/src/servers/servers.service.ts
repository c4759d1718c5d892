import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type AuthenticatedServer,
  type LiveServerView,
  type RegisteredServerView,
  type RegisterServerBody,
  type ServerStatusBody,
} from '@trustno1/contracts';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { CLOCK, type Clock } from '../clock/clock';
import { isRevoked, isUnknown, ServerKeyCache } from './server-key.cache';
import { ServerStatusStore } from './server-status.store';
import { ServersRepository } from './servers.repository';

/** SHA-256 of a server API key: keys are 256 random bits, so a fast hash is enough. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

@Injectable()
export class ServersService {
  constructor(
    private readonly repository: ServersRepository,
    private readonly statuses: ServerStatusStore,
    private readonly keys: ServerKeyCache,
    private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Checked on every server request: PostgreSQL once per key and TTL.serverKey, Redis otherwise. A
   * revoked key stops working at once: the revocation leaves a tombstone in the cache.
   */
  async authenticate(apiKey: string): Promise<AuthenticatedServer> {
    const keyHash = hashApiKey(apiKey);
    const cached = await this.keys.get(keyHash);
    if (isRevoked(cached) || isUnknown(cached))
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown or revoked server key');
    if (cached) return cached;
    const server = await this.repository.findActiveByKeyHash(keyHash);
    if (!server) {
      await this.keys.rememberUnknown(keyHash);
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown or revoked server key');
    }
    await this.keys.remember(keyHash, server);
    return server;
  }

  /**
   * Registers a server; the key is shown only in this answer and stored only as its hash (SPEC §8),
   * so the idempotency record keeps the answer without the key: a retry with the same
   * Idempotency-Key gets the same server id and `apiKey: null`, never a second server. An operator
   * whose first answer was lost revokes that server and registers again.
   */
  async register(
    body: RegisterServerBody,
    claim: IdempotencyClaim | undefined,
  ): Promise<RegisteredServerView> {
    const { result } = await runIdempotentPrisma<RegisteredServerView>(
      this.prisma,
      claim,
      async (tx) => {
        const id: string = randomUUID();
        const apiKey = randomBytes(32).toString('base64url');
        await this.repository.insert(tx, {
          id,
          name: body.name,
          region: body.region,
          apiKeyHash: hashApiKey(apiKey),
          maxPlayers: body.maxPlayers,
        });
        return { id, apiKey };
      },
      { storeAs: (registered) => ({ ...registered, apiKey: null }) },
    );
    return result;
  }

  /**
   * Revokes the key in PostgreSQL first, then leaves the revoked tombstone in the key cache (so
   * the key stops at once; if that fails the answer is 503 and the revocation is repeated), then
   * drops the server's status so it leaves the listing. If that last step fails the listing still
   * hides it (it checks revocation) and the status expires in 30 s.
   */
  async revoke(id: string): Promise<void> {
    const revoked = await this.repository.revoke(id);
    if (!revoked) throw new AppError(ErrorCode.NOT_FOUND, 'No such server');
    await this.keys.revoke(revoked.apiKeyHash);
    await this.statuses.remove(id, revoked.region);
  }

  /** A heartbeat: the server's status for the next 30 s. */
  async heartbeat(serverId: string, status: ServerStatusBody): Promise<void> {
    const server = await this.repository.findActive(serverId);
    if (!server) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown or revoked server');
    if (status.maxPlayers > server.maxPlayers) {
      throw new AppError(
        ErrorCode.LIMIT_REACHED,
        `maxPlayers may not exceed the registered ${server.maxPlayers}`,
        {
          field: 'maxPlayers',
          limit: server.maxPlayers,
        },
      );
    }
    if (status.players > status.maxPlayers) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: players', {
        fields: [{ field: 'players', message: 'must be at most maxPlayers' }],
      });
    }
    await this.statuses.write(server, status, this.clock.now());
  }

  /** Servers of a region with a fresh heartbeat and a key that still works, least loaded first. */
  async listLive(region: string): Promise<LiveServerView[]> {
    const statuses = await this.statuses.listRegion(region);
    const active = await this.repository.activeIds(statuses.map((s) => s.id));
    const revoked = statuses.filter((s) => !active.has(s.id));
    // A revocation whose Redis clean-up failed is finished here.
    await Promise.all(revoked.map((s) => this.statuses.remove(s.id, region)));
    return statuses
      .filter((s) => active.has(s.id))
      .map(({ id, name, players, maxPlayers, tickRate, version }) => ({
        id,
        name,
        region,
        players,
        maxPlayers,
        tickRate,
        version,
        load: players / maxPlayers,
      }))
      .sort((a, b) => a.load - b.load || a.name.localeCompare(b.name));
  }
}
