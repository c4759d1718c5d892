import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type ApplyHitsRequest,
  type ApplyHitsView,
  type CombatStateView,
  type Principal,
  type RespawnView,
} from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  mapProcedureErrors,
  prismaStatement,
  PrismaClient,
  type IdempotencyClaim,
} from '@trustno1/db';
import { randomUUID } from 'node:crypto';
import {
  nearestDryLand,
  seedFrom,
  SPAWN_LAND_REACH,
  spawnPointFor,
  spawnPointsFromEnv,
  spawnPointsOnLand,
  type SpawnPoint,
} from '@trustno1/world-domain';
import { COMBAT_CONFIG, type CombatConfig } from '../combat-config';
import { CombatRecentCache, inCombat, type CombatPair } from './combat-recent.cache';
import { HitsRepository } from './hits.repository';

type Server = Extract<Principal, { kind: 'server' }>;

@Injectable()
export class HitsService {
  private readonly logger = new Logger('combat.hits');
  private spawnPoints: readonly SpawnPoint[] | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: HitsRepository,
    private readonly recent: CombatRecentCache,
    @Inject(COMBAT_CONFIG) private readonly config: CombatConfig,
  ) {}

  /**
   * One database round trip for the whole batch (combat.apply_hits, retried on deadlock and
   * serialization failure); after it committed, the applied hits' players go to combat:recent.
   */
  async apply(
    server: Server,
    req: ApplyHitsRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<ApplyHitsView> {
    if (claim) checkIdempotencyKey(claim);
    const view = await mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.apply(this.prisma, {
          principal: server,
          claim,
          hits: req.hits,
          maxDamage: this.config.COMBAT_MAX_DAMAGE,
          corpseTtlSeconds: this.config.CORPSE_TTL_SECONDS,
        }),
      ),
    );
    const suspects = view.results.filter((r) => r.reason === 'IMPLAUSIBLE_HIT');
    if (suspects.length > 0) {
      this.logger.warn(
        `server ${server.serverId}: ${suspects.length} implausible hit(s) refused: ${suspects.map((s) => s.hitId).join(', ')}`,
      );
    }
    await this.recordCombat(combatPairs(req, view, Date.now()));
    return view;
  }

  /** The anti combat-log record; the hits are committed, so a Redis outage only costs the linger. */
  private async recordCombat(pairs: CombatPair[]): Promise<void> {
    try {
      await this.recent.record(pairs);
    } catch (error) {
      this.logger.error(`combat:recent not recorded for ${pairs.length} hit(s): ${String(error)}`);
    }
  }

  /**
   * A dead character of this server back with full health: at the asked position moved to the
   * nearest dry land, else at one of the spawn points (SPAWN_POINTS, on dry land, as accounts
   * places new characters). One round trip: combat.respawn.
   */
  respawn(
    server: Server,
    playerId: string,
    asked: SpawnPoint | undefined,
    claim: IdempotencyClaim | undefined,
  ): Promise<RespawnView> {
    if (claim) checkIdempotencyKey(claim);
    const seed = seedFrom(this.config.WORLD_SEED);
    let position: SpawnPoint;
    if (asked) {
      const land = nearestDryLand(seed, asked, SPAWN_LAND_REACH);
      if (!land) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: position', {
          fields: [{ field: 'position', message: `no dry land within ${SPAWN_LAND_REACH} units` }],
        });
      }
      position = land;
    } else {
      this.spawnPoints ??= spawnPointsOnLand(spawnPointsFromEnv(), seed);
      position = spawnPointFor(randomUUID(), this.spawnPoints);
    }
    return mapProcedureErrors(() =>
      prismaStatement(() => this.repository.respawn(this.prisma, server, claim, playerId, position)),
    );
  }

  /** A server reads the characters joined to it, a player its own account's characters. */
  async combatState(principal: Principal, playerId: string): Promise<CombatStateView> {
    const player = await this.repository.access(this.prisma, playerId);
    if (!player) throw new AppError(ErrorCode.NOT_FOUND, 'player not found', { playerId });
    const allowed =
      (principal.kind === 'server' && player.serverId === principal.serverId) ||
      (principal.kind === 'player' && player.accountId === principal.accountId);
    if (!allowed) {
      throw new AppError(ErrorCode.FORBIDDEN, 'FORBIDDEN: NOT_YOURS', { playerId, reason: 'NOT_YOURS' });
    }
    const recent = await this.recent.recent(playerId);
    const last = recent[0]?.at ?? null;
    return {
      inCombat: inCombat(last, Date.now()),
      lastCombatAt: last === null ? null : new Date(last).toISOString(),
      recent: recent.map((r) => ({ opponentId: r.opponentId, at: new Date(r.at).toISOString() })),
    };
  }
}

/** Attacker and victim of every applied hit with an attacker (damage without one is no fight). */
export function combatPairs(req: ApplyHitsRequest, view: ApplyHitsView, at: number): CombatPair[] {
  const attackers = new Map(req.hits.map((h) => [h.hitId.toLowerCase(), h.attackerId]));
  return view.results.flatMap((r) => {
    const attackerId = attackers.get(r.hitId.toLowerCase());
    return r.applied && attackerId
      ? [{ attackerId: attackerId.toLowerCase(), victimId: r.victimId, at }]
      : [];
  });
}
