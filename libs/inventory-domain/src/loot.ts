import { createHash } from 'node:crypto';
import { prismaTransaction, type PrismaClient } from '@trustno1/db';
import { z } from 'zod';
import lootV1 from '../loot/loot.v1.json';
import type { Catalog } from './catalog';

const token = z.string().regex(/^[a-z0-9_]{1,32}$/);
const range = z
  .strictObject({ min: z.int().min(1), max: z.int().min(1) })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

const entrySchema = z.strictObject({
  templateId: z.string().regex(/^[a-z0-9_]{1,64}$/),
  weight: z.int().min(1).max(1_000_000),
  quantity: range,
  /** The entry only drops in these biomes (absent: everywhere). */
  biomes: z.array(token).min(1).optional(),
});

const tableSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,64}$/),
  /** The loot_generation job's containerType values this table fills. */
  containerTypes: z.array(token).min(1),
  /** Only for containers in these biomes; such a table wins over one without biomes. */
  biomes: z.array(token).min(1).optional(),
  rolls: range.refine((r) => r.max <= 20, { message: 'at most 20 rolls' }),
  entries: z.array(entrySchema).min(1),
});

const lootFileSchema = z
  .strictObject({ version: z.string().regex(/^v\d+$/), tables: z.array(tableSchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.tables.forEach((table, index) => {
      if (seen.has(table.id))
        ctx.addIssue({ code: 'custom', path: ['tables', index, 'id'], message: `duplicate id ${table.id}` });
      seen.add(table.id);
    });
  });

export type LootEntry = z.infer<typeof entrySchema>;
export type LootTable = z.infer<typeof tableSchema>;
export type LootFile = z.infer<typeof lootFileSchema>;

/** One stack a roll produced. */
export interface LootDrop {
  templateId: string;
  quantity: number;
}

/** Parses and validates a loot file; throws a ZodError naming every bad field. */
export function parseLootFile(input: unknown): LootFile {
  return lootFileSchema.parse(input);
}

/** The current loot file (libs/inventory-domain/loot/loot.v1.json), validated. */
export function loadLootFile(): LootFile {
  return parseLootFile(lootV1);
}

/** Problems of a loot file against the item catalog: unknown templates, quantities above max stack. */
export function lootProblems(file: LootFile, catalog: Catalog): string[] {
  const templates = new Map(catalog.items.map((t) => [t.id, t]));
  const problems: string[] = [];
  for (const table of file.tables)
    for (const entry of table.entries) {
      const template = templates.get(entry.templateId);
      if (!template) problems.push(`${table.id}: unknown template ${entry.templateId}`);
      else if (entry.quantity.max > template.maxStack)
        problems.push(`${table.id}: ${entry.templateId} quantity above max stack ${template.maxStack}`);
    }
  return problems;
}

/**
 * The table for a container type and biome: a table naming the biome wins over a table for
 * every biome; null when no table fills this container type.
 */
export function lootTableFor(
  tables: readonly LootTable[],
  containerType: string,
  biome?: string,
): LootTable | null {
  const candidates = tables.filter(
    (t) =>
      t.containerTypes.includes(containerType) &&
      (!t.biomes || (biome !== undefined && t.biomes.includes(biome))),
  );
  return candidates.find((t) => t.biomes) ?? candidates[0] ?? null;
}

/** A seeded PRNG (mulberry32) returning floats in [0, 1); the same seed gives the same sequence. */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: () => number, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));

/**
 * Rolls a table: `rolls` weighted picks among the entries allowed in `biome`, each with a
 * quantity in its range. Pure: the same table, biome and random sequence give the same drops.
 */
export function rollLoot(table: LootTable, random: () => number, biome?: string): LootDrop[] {
  const entries = table.entries.filter((e) => !e.biomes || (biome !== undefined && e.biomes.includes(biome)));
  const total = entries.reduce((sum, e) => sum + e.weight, 0);
  if (total === 0) return [];
  const rolls = between(random, table.rolls.min, table.rolls.max);
  const drops: LootDrop[] = [];
  for (let i = 0; i < rolls; i++) {
    let ticket = random() * total;
    const entry = entries.find((e) => (ticket -= e.weight) < 0) ?? entries[entries.length - 1];
    drops.push({
      templateId: entry.templateId,
      quantity: between(random, entry.quantity.min, entry.quantity.max),
    });
  }
  return drops;
}

/** The seed of a container's fill in a cycle: a retried job rolls the same loot. */
export const lootSeed = (containerId: string, cycle: string) => `${containerId}/${cycle}`;

/** Upserts the loot file into loot_tables (idempotent, serialised like the catalog sync). */
export async function syncLootTables(prisma: PrismaClient, file: LootFile = loadLootFile()): Promise<number> {
  return prismaTransaction(prisma, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('loot_tables.sync'))`;
    return tx.$executeRaw`
      INSERT INTO loot_tables AS t (id, definition, version)
      SELECT x ->> 'id', x, ${file.version} FROM jsonb_array_elements(${JSON.stringify(file.tables)}::jsonb) AS x
      ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, version = EXCLUDED.version,
             updated_at = now()
       WHERE (t.definition, t.version) IS DISTINCT FROM (EXCLUDED.definition, EXCLUDED.version)`;
  });
}
