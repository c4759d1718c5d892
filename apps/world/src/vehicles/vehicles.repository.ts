import { Injectable } from '@nestjs/common';
import type { VehicleDecayView, VehicleView } from '@trustno1/contracts';
import { Prisma, type PrismaDb } from '@trustno1/db';
import type { ChunkMember } from '../chunks/chunk-keys.service';

/** A vehicle to insert with its inventory; the service fills it from the catalog. */
export interface NewVehicle {
  id: string;
  inventoryId: string;
  templateId: string;
  position: { x: number; y: number; z: number };
  rotation: { x: number; y: number; z: number; w: number };
  chunkX: number;
  chunkZ: number;
  ownerId: string | null;
  fuelMax: number;
  maxHealth: number;
  tires: number;
  grid: { gridWidth: number; gridHeight: number };
  now: Date;
  /** The spawning server: the inventory counts on its items and lies in its region. */
  serverId: string;
}

/** The columns a PATCH may change; undefined leaves a column alone. */
export interface VehicleChanges {
  position?: { x: number; y: number; z: number };
  rotation?: { x: number; y: number; z: number; w: number };
  chunkX?: number;
  chunkZ?: number;
  fuelCurrent?: number;
  health?: number;
  engineDamage?: number;
  tireDamage?: number[];
  modifications?: Record<string, unknown>;
}

/** Why an update matched no row, read after the fact. */
export interface VehicleLimits {
  fuelMax: number;
  maxHealth: number;
  tires: number;
}

// The API's vehicle shape; the key code never leaves the database.
const VIEW = Prisma.sql`json_build_object(
  'id', v.id, 'templateId', v.template_id, 'position', v.position, 'rotation', v.rotation,
  'chunkX', v.chunk_x, 'chunkZ', v.chunk_z, 'ownerId', v.owner_id, 'factionId', v.faction_id,
  'fuelCurrent', v.fuel_current, 'fuelMax', v.fuel_max, 'health', v.health, 'maxHealth', v.max_health,
  'engineDamage', COALESCE(v.engine_damage, 0), 'tireDamage', COALESCE(v.tire_damage, '[]'::jsonb),
  'modifications', COALESCE(v.modifications, '{}'::jsonb), 'inventoryId', v.inventory_id,
  'locked', COALESCE(v.locked, false),
  'lastUsed', to_char(v.last_used AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'createdAt', to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS view`;

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

@Injectable()
export class VehiclesRepository {
  /** The vehicle and its inventory (owner_type 'vehicle', owned by the vehicle) in the caller's transaction. */
  async insert(tx: PrismaDb, v: NewVehicle): Promise<VehicleView> {
    // Inventory's tables change only through its published functions.
    await tx.$executeRaw`SELECT inventory.create_inventory(${v.inventoryId}, ${v.id}, 'vehicle', ${v.grid.gridWidth},
                                                       ${v.grid.gridHeight}, NULL, ${v.serverId}::uuid, ${v.now})`;
    const [row] = await tx.$queryRaw<{ view: VehicleView }[]>`
      INSERT INTO vehicles AS v (id, template_id, position, rotation, chunk_x, chunk_z, owner_id, fuel_current,
                                 fuel_max, health, max_health, engine_damage, tire_damage, modifications,
                                 inventory_id, locked, last_used, created_at)
      VALUES (${v.id}, ${v.templateId}, ${JSON.stringify(v.position)}::jsonb, ${JSON.stringify(v.rotation)}::jsonb,
              ${v.chunkX}, ${v.chunkZ}, ${v.ownerId}, ${v.fuelMax}, ${v.fuelMax}, ${v.maxHealth}, ${v.maxHealth}, 0,
              ${JSON.stringify(Array<number>(v.tires).fill(0))}::jsonb, '{}'::jsonb, ${v.inventoryId}, false,
              ${v.now}, ${v.now})
      RETURNING ${VIEW}`;
    return row.view;
  }

  async view(db: PrismaDb, vehicleId: string): Promise<VehicleView | null> {
    const [row] = await db.$queryRaw<{ view: VehicleView }[]>`
      SELECT ${VIEW} FROM vehicles v WHERE v.id = ${vehicleId}`;
    return row?.view ?? null;
  }

  /**
   * Applies the changes when they fit the vehicle's limits, with the chunk it was in before; null
   * when nothing matched. One statement: the checks against the row's own limits sit in the WHERE,
   * so a bad value matches nothing and the service then asks why (limits). `old` is the locked row
   * before the change: its chunk tells the Redis entities key which chunk the vehicle left.
   */
  async update(
    tx: PrismaDb,
    vehicleId: string,
    c: VehicleChanges,
    now: Date,
  ): Promise<{ view: VehicleView; previous: { chunkX: number; chunkZ: number } } | null> {
    const fuel = c.fuelCurrent ?? null;
    const health = c.health ?? null;
    const tires = json(c.tireDamage);
    const [row] = await tx.$queryRaw<{ view: VehicleView; previousChunkX: number; previousChunkZ: number }[]>`
      UPDATE vehicles v SET
        position      = COALESCE(${json(c.position)}::jsonb, v.position),
        rotation      = COALESCE(${json(c.rotation)}::jsonb, v.rotation),
        chunk_x       = COALESCE(${c.chunkX ?? null}::int, v.chunk_x),
        chunk_z       = COALESCE(${c.chunkZ ?? null}::int, v.chunk_z),
        fuel_current  = COALESCE(${fuel}::float8, v.fuel_current),
        health        = COALESCE(${health}::float8, v.health),
        engine_damage = COALESCE(${c.engineDamage ?? null}::float8, v.engine_damage),
        tire_damage   = COALESCE(${tires}::jsonb, v.tire_damage),
        modifications = COALESCE(${json(c.modifications)}::jsonb, v.modifications),
        last_used     = ${now}
      FROM (SELECT chunk_x, chunk_z FROM vehicles WHERE id = ${vehicleId}::uuid FOR UPDATE) AS old
      WHERE v.id = ${vehicleId}::uuid
        AND (${fuel}::float8 IS NULL OR ${fuel}::float8 <= v.fuel_max)
        AND (${health}::float8 IS NULL OR ${health}::float8 <= v.max_health)
        AND (${tires}::jsonb IS NULL
             OR jsonb_array_length(${tires}::jsonb) = jsonb_array_length(COALESCE(v.tire_damage, '[]')))
      RETURNING ${VIEW}, old.chunk_x AS "previousChunkX", old.chunk_z AS "previousChunkZ"`;
    return row
      ? { view: row.view, previous: { chunkX: row.previousChunkX, chunkZ: row.previousChunkZ } }
      : null;
  }

  async limits(db: PrismaDb, vehicleId: string): Promise<VehicleLimits | null> {
    const vehicle = await db.vehicle.findUnique({
      where: { id: vehicleId },
      select: { fuelMax: true, maxHealth: true, tireDamage: true },
    });
    if (!vehicle) return null;
    // A CHECK keeps tire_damage an array; NULL counts as no wheels.
    const tires = Array.isArray(vehicle.tireDamage) ? vehicle.tireDamage.length : 0;
    return { fuelMax: vehicle.fuelMax, maxHealth: vehicle.maxHealth, tires };
  }

  /**
   * Locks with the key, or unlocks with it (clearing it, so a stale key never opens a later lock).
   * Matches nothing when the vehicle is locked with another key.
   */
  async setLock(
    tx: PrismaDb,
    vehicleId: string,
    locked: boolean,
    keyCode: string,
    now: Date,
  ): Promise<VehicleView | null> {
    const [row] = await tx.$queryRaw<{ view: VehicleView }[]>`
      UPDATE vehicles v
         SET locked = ${locked}::boolean, key_code = CASE WHEN ${locked}::boolean THEN ${keyCode} ELSE NULL END,
             last_used = ${now}
       WHERE v.id = ${vehicleId} AND (NOT COALESCE(v.locked, false) OR v.key_code = ${keyCode})
       RETURNING ${VIEW}`;
    return row?.view ?? null;
  }

  /**
   * One batch of abandonment decay (decay_vehicles), with the chunk of each destroyed vehicle. The
   * outer SELECT reads \`vehicles\` with the statement's snapshot, taken before the procedure's
   * deletes, so the destroyed rows are still visible to it (OFFSET 0 keeps the call evaluated once).
   */
  async decayBatch(
    tx: PrismaDb,
    now: Date,
    rule: { abandonHours: number; lossPerHour: number; batch: number },
  ): Promise<VehicleDecayView & { destroyedIn: ChunkMember[] }> {
    const [row] = await tx.$queryRaw<{ result: VehicleDecayView; destroyedIn: ChunkMember[] | null }[]>`
      SELECT d.result,
             (SELECT json_agg(json_build_object('id', v.id, 'chunkX', v.chunk_x, 'chunkZ', v.chunk_z))
                FROM vehicles v
               WHERE v.id::text IN (SELECT jsonb_array_elements_text(d.result -> 'destroyed'))) AS "destroyedIn"
        FROM (SELECT decay_vehicles(${now}, ${rule.abandonHours}, ${rule.lossPerHour}, ${rule.batch}) AS result
              OFFSET 0) d`;
    return { ...row.result, destroyedIn: row.destroyedIn ?? [] };
  }
}
