import { Injectable } from '@nestjs/common';
import type { BuildData, DamageView, StructureView, UpkeepView } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';

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
  /** The placing server: its storage counts on that server's items and lies in its region. */
  serverId: string;
}

/** What damage_structure needs: the hit, and the offline-raid protection settings. */
export interface StructureDamage {
  id: string;
  amount: number;
  attackerId: string | null;
  explosive: boolean;
  explosiveType: string | null;
  offlineGraceMinutes: number;
  offlineScale: number;
  now: Date;
  reference: string;
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
  async place(tx: PrismaDb, s: NewStructure): Promise<StructureView> {
    const [row] = await tx.$queryRaw<{ view: StructureView }[]>`
      SELECT place_structure(${s.id}, ${s.ownerId}, ${s.factionId}, ${s.structureType},
                             ${JSON.stringify(s.position)}::jsonb, ${JSON.stringify(s.rotation)}::jsonb,
                             ${JSON.stringify(s.buildData)}::jsonb, ${JSON.stringify(s.permissions)}::jsonb,
                             ${s.maxHealth}, ${s.decayPerHour}, ${s.decayProtection}, ${s.toolCupboard},
                             ${s.storage?.gridWidth ?? null}, ${s.storage?.gridHeight ?? null}, ${s.tcRange},
                             ${s.chunkLimit}, ${s.now}, ${s.serverId}::uuid) AS view`;
    return row.view;
  }

  async view(db: PrismaDb, id: string): Promise<StructureView | undefined> {
    const [row] = await db.$queryRaw<{ view: StructureView | null }[]>`SELECT structure_view(${id}) AS view`;
    return row?.view ?? undefined;
  }

  async damage(tx: PrismaDb, d: StructureDamage): Promise<DamageView> {
    const [row] = await tx.$queryRaw<{ result: DamageView }[]>`
      SELECT damage_structure(${d.id}, ${d.amount}, ${d.attackerId}::uuid, ${d.explosive},
                              ${d.explosiveType}::varchar, ${d.offlineGraceMinutes}::float8,
                              ${d.offlineScale}::float8, ${d.now}, ${d.reference}) AS result`;
    return row.result;
  }

  /** `costs`: JSON of structure type → the items a full repair takes. */
  async repair(
    tx: PrismaDb,
    id: string,
    amount: number,
    costs: string,
    reference: string,
  ): Promise<StructureView> {
    const [row] = await tx.$queryRaw<{ view: StructureView }[]>`
      SELECT repair_structure(${id}, ${amount}, ${costs}::jsonb, ${reference}) AS view`;
    return row.view;
  }

  /** `costs`: JSON of structure type → its upkeep per 24 h. */
  async payUpkeep(
    tx: PrismaDb,
    id: string,
    paidUntil: Date,
    now: Date,
    costs: string,
    reference: string,
  ): Promise<UpkeepView> {
    const [row] = await tx.$queryRaw<{ view: UpkeepView }[]>`
      SELECT pay_structure_upkeep(${id}, ${paidUntil}, ${now}, ${costs}::jsonb, ${reference}) AS view`;
    return row.view;
  }

  async setAuthorization(
    tx: PrismaDb,
    id: string,
    playerId: string,
    authorized: boolean,
  ): Promise<StructureView> {
    const [row] = await tx.$queryRaw<{ view: StructureView }[]>`
      SELECT set_cupboard_authorization(${id}, ${playerId}, ${authorized}) AS view`;
    return row.view;
  }

  async decayBatch(
    tx: PrismaDb,
    chunkX: number,
    chunkZ: number,
    tick: Date,
    limit: number,
  ): Promise<DecayBatch> {
    const [row] = await tx.$queryRaw<{ result: DecayBatch }[]>`
      SELECT apply_structure_decay(${chunkX}, ${chunkZ}, ${tick}, ${limit}) AS result`;
    return row.result;
  }

  async decayChunks(db: PrismaDb, tick: Date): Promise<{ chunkX: number; chunkZ: number }[]> {
    return db.$queryRaw<{ chunkX: number; chunkZ: number }[]>`
      SELECT chunk_x AS "chunkX", chunk_z AS "chunkZ" FROM structure_decay_chunks(${tick})`;
  }
}
