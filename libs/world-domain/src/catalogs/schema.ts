import { z } from 'zod';
import { BIOMES } from '../terrain/biomes';
import { STRUCTURE_TIERS } from '../decay';

/** Catalog ids and item template ids: snake_case, fitting the VARCHAR(64) columns that hold them. */
export const catalogId = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be snake_case, 2-64 characters');
const positiveInt = z.number().int().positive();
const gridSize = z.object({ gridWidth: positiveInt.max(16), gridHeight: positiveInt.max(16) }).strict();
const itemAmount = z.object({ itemTemplateId: catalogId, amount: positiveInt }).strict();

export const structureTypeSchema = z
  .object({
    id: catalogId,
    tier: z.enum(STRUCTURE_TIERS),
    category: z.enum(['foundation', 'wall', 'floor', 'door', 'tool_cupboard', 'storage']),
    maxHealth: z.number().positive(),
    decayPerHour: z.number().positive(),
    /** Upkeep per 24 hours of protection. */
    upkeep: z.array(itemAmount),
    /** Items a repair from zero to full health takes; a partial repair pays its share, rounded up. */
    repair: z.array(itemAmount),
    buildable: z.boolean(),
    toolCupboard: z.boolean(),
    /** The inventory of a structure with storage (`structure_storage`), else null. */
    storage: gridSize.nullable(),
  })
  .strict()
  .refine(
    (s) => s.toolCupboard === (s.category === 'tool_cupboard'),
    'only the tool_cupboard category is a cupboard',
  )
  .refine(
    (s) => (s.storage !== null) === (s.category === 'storage' || s.toolCupboard),
    'storage iff box or cupboard',
  );

export const vehicleTemplateSchema = z
  .object({
    id: catalogId,
    fuelMax: z.number().positive(),
    maxHealth: z.number().positive(),
    tires: z.number().int().min(0).max(8),
    inventory: gridSize,
  })
  .strict();

const range = z
  .object({ min: z.number().positive(), max: z.number().positive() })
  .strict()
  .refine((r) => r.min <= r.max, 'min must not exceed max');

export const eventTemplateSchema = z
  .object({
    id: catalogId,
    durationMinutes: range,
    maxParticipants: positiveInt,
    /** Biomes where the event may spawn (event_spawn's "valid locations"). */
    spawnBiomes: z.array(z.enum(BIOMES)).min(1),
    rewards: z
      .array(
        z
          .object({ itemTemplateId: catalogId, min: positiveInt, max: positiveInt, weight: positiveInt })
          .strict(),
      )
      .min(1)
      .refine((rs) => rs.every((r) => r.min <= r.max), 'reward min must not exceed max'),
  })
  .strict();

export const worldCatalogsSchema = z
  .object({
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, 'must look like 2026-11-25.1'),
    structures: z.array(structureTypeSchema).min(1),
    vehicles: z.array(vehicleTemplateSchema).min(1),
    events: z.array(eventTemplateSchema).min(1),
  })
  .strict();

export type StructureType = z.infer<typeof structureTypeSchema>;
export type VehicleTemplate = z.infer<typeof vehicleTemplateSchema>;
export type EventTemplate = z.infer<typeof eventTemplateSchema>;
export type WorldCatalogs = z.infer<typeof worldCatalogsSchema>;
