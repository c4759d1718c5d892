import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { VehicleDecayView, VehicleView } from '@trustno1/contracts';
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
const VIEW = `json_build_object(
  'id', v.id, 'templateId', v.template_id, 'position', v.position, 'rotation', v.rotation,
  'chunkX', v.chunk_x, 'chunkZ', v.chunk_z, 'ownerId', v.owner_id, 'factionId', v.faction_id,
  'fuelCurrent', v.fuel_current, 'fuelMax', v.fuel_max, 'health', v.health, 'maxHealth', v.max_health,
  'engineDamage', COALESCE(v.engine_damage, 0), 'tireDamage', COALESCE(v.tire_damage, '[]'::jsonb),
  'modifications', COALESCE(v.modifications, '{}'::jsonb), 'inventoryId', v.inventory_id,
  'locked', COALESCE(v.locked, false),
  'lastUsed', to_char(v.last_used AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'createdAt', to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS view`;

// One statement: the checks against the row's own limits sit in the WHERE, so a bad value
// matches nothing and the service then asks why (limits). \`old\` is the locked row before the
// change: its chunk tells the Redis entities key which chunk the vehicle left.
const UPDATE_SQL = `
  UPDATE vehicles v SET
    position      = COALESCE($2::jsonb, v.position),
    rotation      = COALESCE($3::jsonb, v.rotation),
    chunk_x       = COALESCE($4, v.chunk_x),
    chunk_z       = COALESCE($5, v.chunk_z),
    fuel_current  = COALESCE($6, v.fuel_current),
    health        = COALESCE($7, v.health),
    engine_damage = COALESCE($8, v.engine_damage),
    tire_damage   = COALESCE($9::jsonb, v.tire_damage),
    modifications = COALESCE($10::jsonb, v.modifications),
    last_used     = $11
  FROM (SELECT chunk_x, chunk_z FROM vehicles WHERE id = $1 FOR UPDATE) AS old
  WHERE v.id = $1
    AND ($6::float8 IS NULL OR $6 <= v.fuel_max)
    AND ($7::float8 IS NULL OR $7 <= v.max_health)
    AND ($9::jsonb IS NULL OR jsonb_array_length($9::jsonb) = jsonb_array_length(COALESCE(v.tire_damage, '[]')))
  RETURNING ${VIEW}, old.chunk_x AS "previousChunkX", old.chunk_z AS "previousChunkZ"`;

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

@Injectable()
export class VehiclesRepository {
  /** The vehicle and its inventory (owner_type 'vehicle', owned by the vehicle) in the caller's transaction. */
  async insert(tx: PoolClient, v: NewVehicle): Promise<VehicleView> {
    // Inventory's tables change only through its published functions.
    await tx.query(`SELECT inventory.create_inventory($1, $2, 'vehicle', $3, $4, NULL, NULL, $5)`, [
      v.inventoryId,
      v.id,
      v.grid.gridWidth,
      v.grid.gridHeight,
      v.now,
    ]);
    const { rows } = await tx.query<{ view: VehicleView }>(
      `INSERT INTO vehicles AS v (id, template_id, position, rotation, chunk_x, chunk_z, owner_id, fuel_current,
                                  fuel_max, health, max_health, engine_damage, tire_damage, modifications,
                                  inventory_id, locked, last_used, created_at)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $8, $9, $9, 0, $10::jsonb, '{}'::jsonb, $11, false, $12, $12)
       RETURNING ${VIEW}`,
      [
        v.id,
        v.templateId,
        JSON.stringify(v.position),
        JSON.stringify(v.rotation),
        v.chunkX,
        v.chunkZ,
        v.ownerId,
        v.fuelMax,
        v.maxHealth,
        JSON.stringify(Array<number>(v.tires).fill(0)),
        v.inventoryId,
        v.now,
      ],
    );
    return rows[0].view;
  }

  async view(db: Pool | PoolClient, vehicleId: string): Promise<VehicleView | null> {
    const { rows } = await db.query<{ view: VehicleView }>(`SELECT ${VIEW} FROM vehicles v WHERE v.id = $1`, [
      vehicleId,
    ]);
    return rows[0]?.view ?? null;
  }

  /**
   * Applies the changes when they fit the vehicle's limits, with the chunk it was in before; null
   * when nothing matched.
   */
  async update(
    tx: PoolClient,
    vehicleId: string,
    c: VehicleChanges,
    now: Date,
  ): Promise<{ view: VehicleView; previous: { chunkX: number; chunkZ: number } } | null> {
    const { rows } = await tx.query<{ view: VehicleView; previousChunkX: number; previousChunkZ: number }>(
      UPDATE_SQL,
      [
        vehicleId,
        json(c.position),
        json(c.rotation),
        c.chunkX ?? null,
        c.chunkZ ?? null,
        c.fuelCurrent ?? null,
        c.health ?? null,
        c.engineDamage ?? null,
        json(c.tireDamage),
        json(c.modifications),
        now,
      ],
    );
    const row = rows[0];
    return row
      ? { view: row.view, previous: { chunkX: row.previousChunkX, chunkZ: row.previousChunkZ } }
      : null;
  }

  async limits(db: Pool | PoolClient, vehicleId: string): Promise<VehicleLimits | null> {
    const { rows } = await db.query<VehicleLimits>(
      `SELECT fuel_max AS "fuelMax", max_health AS "maxHealth",
              jsonb_array_length(COALESCE(tire_damage, '[]')) AS tires
         FROM vehicles WHERE id = $1`,
      [vehicleId],
    );
    return rows[0] ?? null;
  }

  /**
   * Locks with the key, or unlocks with it (clearing it, so a stale key never opens a later lock).
   * Matches nothing when the vehicle is locked with another key.
   */
  async setLock(
    tx: PoolClient,
    vehicleId: string,
    locked: boolean,
    keyCode: string,
    now: Date,
  ): Promise<VehicleView | null> {
    const { rows } = await tx.query<{ view: VehicleView }>(
      `UPDATE vehicles v SET locked = $2, key_code = CASE WHEN $2 THEN $3 ELSE NULL END, last_used = $4
        WHERE v.id = $1 AND (NOT COALESCE(v.locked, false) OR v.key_code = $3)
        RETURNING ${VIEW}`,
      [vehicleId, locked, keyCode, now],
    );
    return rows[0]?.view ?? null;
  }

  /**
   * One batch of abandonment decay (decay_vehicles), with the chunk of each destroyed vehicle. The
   * outer SELECT reads \`vehicles\` with the statement's snapshot, taken before the procedure's
   * deletes, so the destroyed rows are still visible to it (OFFSET 0 keeps the call evaluated once).
   */
  async decayBatch(
    tx: PoolClient,
    now: Date,
    rule: { abandonHours: number; lossPerHour: number; batch: number },
  ): Promise<VehicleDecayView & { destroyedIn: ChunkMember[] }> {
    const { rows } = await tx.query<{ result: VehicleDecayView; destroyedIn: ChunkMember[] | null }>(
      `SELECT d.result,
              (SELECT json_agg(json_build_object('id', v.id, 'chunkX', v.chunk_x, 'chunkZ', v.chunk_z))
                 FROM vehicles v
                WHERE v.id::text IN (SELECT jsonb_array_elements_text(d.result -> 'destroyed'))) AS "destroyedIn"
         FROM (SELECT decay_vehicles($1, $2, $3, $4) AS result OFFSET 0) d`,
      [now, rule.abandonHours, rule.lossPerHour, rule.batch],
    );
    return { ...rows[0].result, destroyedIn: rows[0].destroyedIn ?? [] };
  }
}
