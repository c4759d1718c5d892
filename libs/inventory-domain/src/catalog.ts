import { prismaTransaction, type PrismaClient, type PrismaDb } from '@trustno1/db';
import { z } from 'zod';
import catalogV1 from '../catalog/items.v1.json';

/** The categories SPEC §7 and issue 4 name; a typo in the catalog file fails at load. */
export const ITEM_CATEGORIES = [
  'weapon',
  'ammunition',
  'resource',
  'tool',
  'clothing',
  'medical',
  'building',
] as const;

/** A weapon's stats in its template's `data`: damage per hit, range in world units, head multiplier. */
export const weaponStatsSchema = z.looseObject({
  damage: z.number().positive().finite(),
  range: z.number().positive().finite(),
  headshotMultiplier: z.number().min(1).finite(),
});
export type WeaponStats = z.infer<typeof weaponStatsSchema>;

const templateSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9_]{1,64}$/),
    name: z.string().min(1).max(128),
    category: z.enum(ITEM_CATEGORIES),
    width: z.int().min(1).max(10),
    height: z.int().min(1).max(10),
    maxStack: z.int().min(1).max(1_000_000),
    weight: z.number().min(0),
    maxDurability: z.number().positive().nullable(),
    stackable: z.boolean(),
    data: z.record(z.string(), z.unknown()),
  })
  // The same rule as item_templates_max_stack_check, so a bad file fails here, by name.
  .refine((t) => t.stackable === t.maxStack > 1, {
    message: 'stackable must be true exactly when maxStack > 1',
  })
  // The combat service checks every hit with a weaponId against these (IMPLAUSIBLE_HIT).
  .refine((t) => t.category !== 'weapon' || weaponStatsSchema.safeParse(t.data).success, {
    message: 'a weapon needs data.damage, data.range and data.headshotMultiplier (positive numbers)',
    path: ['data'],
  });

const catalogSchema = z
  .strictObject({
    version: z.string().regex(/^v\d+$/),
    items: z.array(templateSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    catalog.items.forEach((item, index) => {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: ['items', index, 'id'], message: `duplicate id ${item.id}` });
      seen.add(item.id);
    });
  });

export type ItemTemplate = z.infer<typeof templateSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** Parses and validates a catalog document; throws a ZodError naming every bad field. */
export function parseCatalog(input: unknown): Catalog {
  return catalogSchema.parse(input);
}

/** The current catalog file (libs/inventory-domain/catalog/items.v1.json), validated. */
export function loadCatalog(): Catalog {
  return parseCatalog(catalogV1);
}

export interface CatalogSyncResult {
  version: string;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Templates in the database that the catalog no longer lists; kept, items may reference them. */
  retired: string[];
}

/**
 * Upserts the catalog into item_templates in one transaction. Idempotent: rows already equal
 * are not rewritten, so a second run reports everything unchanged. Start-up of several replicas
 * at once is serialised by an advisory lock.
 */
export async function syncCatalog(
  prisma: PrismaClient,
  catalog: Catalog = loadCatalog(),
): Promise<CatalogSyncResult> {
  return prismaTransaction(prisma, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('item_templates.sync'))`;
    const counts = await upsertTemplates(tx, catalog);
    const retired = await tx.itemTemplate.findMany({
      where: { id: { notIn: catalog.items.map((i) => i.id) } },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    return { version: catalog.version, ...counts, retired: retired.map((r) => r.id) };
  });
}

async function upsertTemplates(tx: PrismaDb, catalog: Catalog) {
  const rows = await tx.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO item_templates AS t
           (id, name, category, width, height, max_stack, weight, max_durability, stackable, data, catalog_version)
    SELECT id, name, category, width, height, max_stack, weight, max_durability, stackable, data, ${catalog.version}
      FROM jsonb_to_recordset(${JSON.stringify(catalog.items.map(toRow))}::jsonb) AS x(id text, name text,
           category text, width smallint, height smallint, max_stack int, weight float8, max_durability float8,
           stackable boolean, data jsonb)
    ON CONFLICT (id) DO UPDATE SET
           name = EXCLUDED.name, category = EXCLUDED.category, width = EXCLUDED.width,
           height = EXCLUDED.height, max_stack = EXCLUDED.max_stack, weight = EXCLUDED.weight,
           max_durability = EXCLUDED.max_durability, stackable = EXCLUDED.stackable,
           data = EXCLUDED.data, catalog_version = EXCLUDED.catalog_version
     WHERE (t.name, t.category, t.width, t.height, t.max_stack, t.weight, t.max_durability, t.stackable,
            t.data, t.catalog_version)
           IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.category, EXCLUDED.width, EXCLUDED.height, EXCLUDED.max_stack,
            EXCLUDED.weight, EXCLUDED.max_durability, EXCLUDED.stackable, EXCLUDED.data, EXCLUDED.catalog_version)
    RETURNING (xmax = 0) AS inserted`;
  const inserted = rows.filter((r) => r.inserted).length;
  const updated = rows.length - inserted;
  return { inserted, updated, unchanged: catalog.items.length - rows.length };
}

function toRow(item: ItemTemplate) {
  return {
    id: item.id,
    name: item.name,
    category: item.category,
    width: item.width,
    height: item.height,
    max_stack: item.maxStack,
    weight: item.weight,
    max_durability: item.maxDurability,
    stackable: item.stackable,
    data: item.data,
  };
}
