import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { BuildData, DamageView, StructureView, UpkeepView } from '@trustno1/contracts';

type Db = Pool | PoolClient;

/** What place_structure needs besides the request: the catalog entry and the configured rules. */
export interface NewStructure {
  id: string;
  ownerId: string;
  factionId: string | null;
  structureType: string;
  position: { x: number; y: number; z: number };
  rotation: { x: number; y: number; z: number; w: number };
  buildData: BuildData;
  permissions: Record<string, unknown>;
  maxHealth: number;
  decayPerHour: number;
  decayProtection: boolean;
  toolCupboard: boolean;
  storage: { gridWidth: number; gridHeight: number } | null;
  tcRange: number;
  chunkLimit: number;
  now: Date;
}

export interface DecayBatch {
  processed: number;
  decayed: number;
  destroyed: number;
  more: boolean;
}

/** SQL of structures: every write is one call of a procedure of 20261125040000_world_structures. */
@Injectable()
export class StructuresRepository {
  async place(tx: PoolClient, s: NewStructure): Promise<StructureView> {
    const { rows } = await tx.query<{ view: StructureView }>(
      `SELECT place_structure($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11, $12,
                              $13, $14, $15, $16, $17) AS view`,
      [
        s.id,
        s.ownerId,
        s.factionId,
        s.structureType,
        JSON.stringify(s.position),
        JSON.stringify(s.rotation),
        JSON.stringify(s.buildData),
        JSON.stringify(s.permissions),
        s.maxHealth,
        s.decayPerHour,
        s.decayProtection,
        s.toolCupboard,
        s.storage?.gridWidth ?? null,
        s.storage?.gridHeight ?? null,
        s.tcRange,
        s.chunkLimit,
        s.now,
      ],
    );
    return rows[0].view;
  }

  async view(db: Db, id: string): Promise<StructureView | undefined> {
    const { rows } = await db.query<{ view: StructureView | null }>('SELECT structure_view($1) AS view', [
      id,
    ]);
    return rows[0]?.view ?? undefined;
  }

  async damage(
    tx: PoolClient,
    id: string,
    amount: number,
    attackerId: string | null,
    explosive: boolean,
    now: Date,
    reference: string,
  ): Promise<DamageView> {
    const { rows } = await tx.query<{ result: DamageView }>(
      'SELECT damage_structure($1, $2, $3, $4, $5, $6) AS result',
      [id, amount, attackerId, explosive, now, reference],
    );
    return rows[0].result;
  }

  async repair(tx: PoolClient, id: string, amount: number): Promise<StructureView> {
    const { rows } = await tx.query<{ view: StructureView }>('SELECT repair_structure($1, $2) AS view', [
      id,
      amount,
    ]);
    return rows[0].view;
  }

  async payUpkeep(tx: PoolClient, id: string, paidUntil: Date, now: Date): Promise<UpkeepView> {
    const { rows } = await tx.query<{ view: UpkeepView }>('SELECT pay_structure_upkeep($1, $2, $3) AS view', [
      id,
      paidUntil,
      now,
    ]);
    return rows[0].view;
  }

  async setAuthorization(
    tx: PoolClient,
    id: string,
    playerId: string,
    authorized: boolean,
  ): Promise<StructureView> {
    const { rows } = await tx.query<{ view: StructureView }>(
      'SELECT set_cupboard_authorization($1, $2, $3) AS view',
      [id, playerId, authorized],
    );
    return rows[0].view;
  }

  async decayBatch(
    tx: PoolClient,
    chunkX: number,
    chunkZ: number,
    tick: Date,
    limit: number,
  ): Promise<DecayBatch> {
    const { rows } = await tx.query<{ result: DecayBatch }>(
      'SELECT apply_structure_decay($1, $2, $3, $4) AS result',
      [chunkX, chunkZ, tick, limit],
    );
    return rows[0].result;
  }

  async decayChunks(db: Db, tick: Date): Promise<{ chunkX: number; chunkZ: number }[]> {
    const { rows } = await db.query<{ chunkX: number; chunkZ: number }>(
      'SELECT chunk_x AS "chunkX", chunk_z AS "chunkZ" FROM structure_decay_chunks($1)',
      [tick],
    );
    return rows;
  }
}
