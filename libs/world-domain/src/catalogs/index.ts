import { worldCatalogsSchema, type WorldCatalogs } from './schema';
import { EVENT_TEMPLATES } from './events';
import { STRUCTURE_TYPES } from './structures';
import { VEHICLE_TEMPLATES } from './vehicles';

/** Version of the world catalogs; bump it with every change to their content. */
export const WORLD_CATALOG_VERSION = '2026-12-03.1';

/** Thrown at load when a catalog breaks a rule; the message names each offending entry. */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

/**
 * Validates catalogs (shape with zod, then unique ids and the one tool cupboard) and returns them
 * frozen-in-shape; a service calls it once at start-up and refuses to start on error.
 */
export function loadWorldCatalogs(input: unknown): WorldCatalogs {
  const parsed = worldCatalogsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new CatalogError(`world catalogs invalid: ${issues.join('; ')}`);
  }
  const catalogs = parsed.data;
  const problems: string[] = [];
  for (const [name, list] of Object.entries({
    structures: catalogs.structures,
    vehicles: catalogs.vehicles,
    events: catalogs.events,
  })) {
    const dup = duplicates(list.map((e) => e.id));
    if (dup.length) problems.push(`${name}: duplicate ids ${dup.join(', ')}`);
  }
  if (!catalogs.structures.some((s) => s.id === 'tool_cupboard' && s.toolCupboard)) {
    problems.push('structures: tool_cupboard is missing');
  }
  if (problems.length) throw new CatalogError(`world catalogs invalid: ${problems.join('; ')}`);
  return catalogs;
}

/** The catalogs shipped with this build, validated once at import. */
export const WORLD_CATALOGS: WorldCatalogs = loadWorldCatalogs({
  version: WORLD_CATALOG_VERSION,
  structures: STRUCTURE_TYPES,
  vehicles: VEHICLE_TEMPLATES,
  events: EVENT_TEMPLATES,
});

/** Item template ids the world catalogs name, for checking them against the item catalog. */
export function referencedItemTemplateIds(catalogs: WorldCatalogs = WORLD_CATALOGS): string[] {
  const ids = [
    ...catalogs.structures.flatMap((s) => [...s.upkeep, ...s.repair].map((u) => u.itemTemplateId)),
    ...catalogs.events.flatMap((e) => e.rewards.map((r) => r.itemTemplateId)),
  ];
  return [...new Set(ids)].sort();
}

/** The decay rate of every structure type, the rows the SQL decay procedure is checked against. */
export function decayRuleRows(catalogs: WorldCatalogs = WORLD_CATALOGS) {
  return catalogs.structures.map((s) => ({
    structureType: s.id,
    tier: s.tier,
    decayPerHour: s.decayPerHour,
  }));
}

export * from './schema';
