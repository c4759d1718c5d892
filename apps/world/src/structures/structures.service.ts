import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  AppError,
  ErrorCode,
  UPKEEP_MAX_DAYS,
  type DamageView,
  type placeStructureBody,
  type StructureView,
  type UpkeepView,
} from '@trustno1/contracts';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim, type PrismaDb } from '@trustno1/db';
import { WORLD_CATALOGS, type StructureType } from '@trustno1/world-domain';
import { requireJoinedCharacter } from '../characters/joined-character';
import { invalidField } from '../procedures/procedure-errors';
import { CLOCK, type Clock } from '../clock/clock';
import { mapStructureErrors } from './structure-errors';
import { STRUCTURES_CONFIG, type StructuresConfig } from './structures-config';
import { StructuresRepository } from './structures.repository';

type PlaceStructure = z.infer<typeof placeStructureBody>;

const DAY_MS = 86_400_000;
const TYPES = new Map<string, StructureType>(WORLD_CATALOGS.structures.map((s) => [s.id, s]));
/** The catalog's costs by structure type, as the care procedures take them (one JSON text each). */
const UPKEEP_COSTS = JSON.stringify(
  Object.fromEntries(WORLD_CATALOGS.structures.map((s) => [s.id, s.upkeep])),
);
const REPAIR_COSTS = JSON.stringify(
  Object.fromEntries(WORLD_CATALOGS.structures.map((s) => [s.id, s.repair])),
);
/** The item ledger's reference of what a structure's upkeep or repair took. */
const structureReference = (structureId: string) => `structure:${structureId}`;

/**
 * Placement and the life of a structure. Each operation is one procedure call inside one
 * transaction (with the idempotency record when the caller sent a key); the procedures hold every
 * rule, the service adds what only it knows: the catalog, the configuration, the clock and the
 * calling server.
 */
@Injectable()
export class StructuresService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: StructuresRepository,
    @Inject(STRUCTURES_CONFIG) private readonly config: StructuresConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The owner must be a character joined to the calling server (a server acts only on its own
   * players); everything else (build rule, chunk limit, storage) is place_structure's.
   */
  place(serverId: string, body: PlaceStructure, claim: IdempotencyClaim | undefined): Promise<StructureView> {
    const type = TYPES.get(body.structureType);
    if (!type?.buildable) throw invalidField('structureType', 'not a structure type of the catalog');
    return this.run(claim, async (tx) => {
      await requireJoinedCharacter(tx, body.ownerId, serverId, 'ownerId');
      return this.repository.place(tx, {
        id: randomUUID(),
        ownerId: body.ownerId,
        factionId: body.factionId ?? null,
        structureType: type.id,
        position: body.position,
        rotation: body.rotation,
        buildData: body.buildData,
        permissions: { ownerId: body.ownerId, factionId: body.factionId ?? null },
        maxHealth: type.maxHealth,
        decayPerHour: type.decayPerHour,
        // Upkeep protects only what costs upkeep: twig is free and always decays.
        decayProtection: type.upkeep.length > 0,
        toolCupboard: type.toolCupboard,
        storage: type.storage,
        tcRange: this.config.TC_RANGE,
        chunkLimit: this.config.STRUCTURES_PER_CHUNK,
        now: this.clock.now(),
        serverId,
      });
    });
  }

  async get(structureId: string): Promise<StructureView> {
    const view = await this.repository.view(this.prisma, structureId);
    if (!view) throw new AppError(ErrorCode.NOT_FOUND, 'Structure not found', { structureId });
    return view;
  }

  /**
   * Explosive damage is raid damage: offline-raid protection may scale it, and world's
   * structure-damaged event tells combat (docs/raids.md).
   */
  damage(
    req: {
      structureId: string;
      amount: number;
      attackerId?: string;
      explosive?: boolean;
      explosiveType?: string;
    },
    reference: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<DamageView> {
    if (req.explosiveType !== undefined && req.explosive !== true)
      throw invalidField('explosiveType', 'only with explosive: true');
    return this.run(claim, (tx) =>
      this.repository.damage(tx, {
        id: req.structureId,
        amount: req.amount,
        attackerId: req.attackerId ?? null,
        explosive: req.explosive ?? false,
        explosiveType: req.explosiveType ?? null,
        offlineGraceMinutes: this.config.OFFLINE_RAID_GRACE_MINUTES,
        offlineScale: this.config.OFFLINE_RAID_DAMAGE_SCALE,
        now: this.clock.now(),
        reference,
      }),
    );
  }

  /**
   * Health up to the maximum, paid with the catalog's `repair` share of what is healed out of the
   * covering tool cupboard's storage (422 INSUFFICIENT_RESOURCES when it is not there).
   */
  repair(
    req: { structureId: string; amount: number },
    claim: IdempotencyClaim | undefined,
  ): Promise<StructureView> {
    return this.run(claim, (tx) =>
      this.repository.repair(
        tx,
        req.structureId,
        req.amount,
        REPAIR_COSTS,
        structureReference(req.structureId),
      ),
    );
  }

  /**
   * Upkeep is paid ahead: strictly after now and at most UPKEEP_MAX_DAYS ahead, with the catalog's
   * `upkeep` for the days each covered structure gains, out of the paying tool cupboard's storage
   * (422 INSUFFICIENT_RESOURCES when it is not there).
   */
  payUpkeep(
    req: { structureId: string; paidUntil: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<UpkeepView> {
    const now = this.clock.now();
    const paidUntil = new Date(req.paidUntil);
    if (paidUntil.getTime() <= now.getTime()) throw invalidField('paidUntil', 'must be in the future');
    if (paidUntil.getTime() > now.getTime() + UPKEEP_MAX_DAYS * DAY_MS)
      throw invalidField('paidUntil', `must be at most ${UPKEEP_MAX_DAYS} days ahead`);
    return this.run(claim, (tx) =>
      this.repository.payUpkeep(
        tx,
        req.structureId,
        paidUntil,
        now,
        UPKEEP_COSTS,
        structureReference(req.structureId),
      ),
    );
  }

  setAuthorization(
    req: { structureId: string; playerId: string },
    authorized: boolean,
    claim: IdempotencyClaim | undefined,
  ): Promise<StructureView> {
    return this.run(claim, (tx) =>
      this.repository.setAuthorization(tx, req.structureId, req.playerId, authorized),
    );
  }

  private async run<T>(claim: IdempotencyClaim | undefined, work: (tx: PrismaDb) => Promise<T>): Promise<T> {
    const { result } = await mapStructureErrors(() => runIdempotentPrisma(this.prisma, claim, work));
    return result;
  }
}
