import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { enqueueEventPrisma } from '@trustno1/bus';
import {
  AppError,
  ErrorCode,
  VehicleEvents,
  type SpawnVehicleBody,
  type UpdateVehicleRequest,
  type VehicleDecayView,
  type VehicleView,
} from '@trustno1/contracts';
import { prismaTransaction, PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { chunkOf, WORLD_CATALOGS } from '@trustno1/world-domain';
import { requireJoinedCharacter } from '../characters/joined-character';
import { ChunkKeysService, type ChunkMember } from '../chunks/chunk-keys.service';
import { CLOCK, type Clock } from '../clock/clock';
import { mapProcedureErrors, invalidField } from '../procedures/procedure-errors';
import { VEHICLES_CONFIG, type VehiclesConfig } from './vehicles-config';
import { VehiclesRepository, type VehicleChanges } from './vehicles.repository';

@Injectable()
export class VehiclesService {
  private readonly templates = new Map(WORLD_CATALOGS.vehicles.map((v) => [v.id, v]));
  private readonly rule: { abandonHours: number; lossPerHour: number; batch: number };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: VehiclesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VEHICLES_CONFIG) config: VehiclesConfig,
    private readonly keys: ChunkKeysService,
  ) {
    // A vehicle unused for abandonHours loses lossPerHour of its max health per hour after that.
    this.rule = {
      abandonHours: config.VEHICLE_ABANDON_HOURS,
      lossPerHour: config.VEHICLE_DECAY_PER_HOUR,
      batch: config.VEHICLE_DECAY_BATCH,
    };
  }

  /**
   * Spawns a vehicle of a catalog template, full tank and health, with its empty inventory. An owner
   * must be a character joined to the calling server (a server acts only on its own players).
   */
  async spawn(
    serverId: string,
    body: SpawnVehicleBody,
    claim: IdempotencyClaim | undefined,
  ): Promise<VehicleView> {
    const template = this.templates.get(body.templateId);
    if (!template) throw invalidField('templateId', 'unknown vehicle template');
    const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      if (body.ownerId) await requireJoinedCharacter(tx, body.ownerId, serverId, 'ownerId');
      return this.repository.insert(tx, {
        id: randomUUID(),
        inventoryId: randomUUID(),
        templateId: template.id,
        position: body.position,
        rotation: body.rotation,
        chunkX: chunkOf(body.position.x),
        chunkZ: chunkOf(body.position.z),
        ownerId: body.ownerId ?? null,
        fuelMax: template.fuelMax,
        maxHealth: template.maxHealth,
        tires: template.tires,
        grid: template.inventory,
        now: this.clock.now(),
        serverId,
      });
    });
    await this.keys.vehiclePlaced(result);
    return result;
  }

  async get(vehicleId: string): Promise<VehicleView> {
    const view = await this.repository.view(this.prisma, vehicleId);
    if (!view) throw new AppError(ErrorCode.NOT_FOUND, 'Vehicle not found', { vehicleId });
    return view;
  }

  /** Applies a PATCH; the chunk follows the position and last_used moves to now. */
  async update(request: UpdateVehicleRequest, claim: IdempotencyClaim | undefined): Promise<VehicleView> {
    const { vehicleId, ...fields } = request;
    const changes: VehicleChanges = { ...fields };
    if (fields.position) {
      changes.chunkX = chunkOf(fields.position.x);
      changes.chunkZ = chunkOf(fields.position.z);
    }
    // Unknown on a replay: the entry then only moves into the current chunk.
    let previous: { chunkX: number; chunkZ: number } | undefined;
    const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      const updated = await this.repository.update(tx, vehicleId, changes, this.clock.now());
      previous = updated?.previous;
      if (updated) return updated.view;
      const limits = await this.repository.limits(tx, vehicleId);
      if (!limits) throw new AppError(ErrorCode.NOT_FOUND, 'Vehicle not found', { vehicleId });
      if (fields.fuelCurrent !== undefined && fields.fuelCurrent > limits.fuelMax)
        throw invalidField('fuelCurrent', `must be at most the vehicle's fuelMax (${limits.fuelMax})`);
      if (fields.health !== undefined && fields.health > limits.maxHealth)
        throw invalidField('health', `must be at most the vehicle's maxHealth (${limits.maxHealth})`);
      if (fields.tireDamage !== undefined && fields.tireDamage.length !== limits.tires)
        throw invalidField('tireDamage', `must have one entry per wheel (${limits.tires})`);
      throw new AppError(ErrorCode.CONFLICT, 'Vehicle changed while updating', { vehicleId });
    });
    await this.keys.vehiclePlaced(result, previous);
    return result;
  }

  /**
   * Locks with a key code, or unlocks with the same code. Locking a vehicle already locked with
   * that code, or unlocking an unlocked one, changes nothing but last_used; another code is refused
   * with 403 FORBIDDEN, reason WRONG_KEY_CODE.
   */
  async setLock(
    vehicleId: string,
    locked: boolean,
    keyCode: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<VehicleView> {
    const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      const view = await this.repository.setLock(tx, vehicleId, locked, keyCode, this.clock.now());
      if (view) return view;
      if (!(await this.repository.limits(tx, vehicleId)))
        throw new AppError(ErrorCode.NOT_FOUND, 'Vehicle not found', { vehicleId });
      throw new AppError(ErrorCode.FORBIDDEN, 'The vehicle is locked with another key code', {
        vehicleId,
        reason: 'WRONG_KEY_CODE',
      });
    });
    return result;
  }

  /**
   * One decay tick at `now` (the schedule's tick): batches of decay_vehicles until none is left, an
   * `evt.world.vehicle.destroyed.v1` per destroyed vehicle in the same transaction. A second run
   * with the same `now` finds nothing to do.
   */
  async decay(now: Date): Promise<VehicleDecayView> {
    const total: VehicleDecayView = { decayed: 0, destroyed: [] };
    for (;;) {
      let gone: ChunkMember[] = [];
      const batch = await mapProcedureErrors(() =>
        prismaTransaction(this.prisma, async (tx) => {
          const { destroyedIn, ...result } = await this.repository.decayBatch(tx, now, this.rule);
          gone = destroyedIn;
          for (const vehicleId of result.destroyed)
            await enqueueEventPrisma(tx, VehicleEvents.destroyed, {
              vehicleId,
              reason: 'abandoned',
              at: now.toISOString(),
            });
          return result;
        }),
      );
      await this.keys.vehiclesRemoved(gone);
      total.decayed += batch.decayed;
      total.destroyed.push(...batch.destroyed);
      if (batch.decayed < this.rule.batch) return total;
    }
  }
}
