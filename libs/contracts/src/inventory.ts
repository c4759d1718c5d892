/**
 * Inventory domain contract (issue 4): subjects, payload schemas and views of the item catalog,
 * grid inventories and items. The gateway validates bodies with these schemas and the inventory
 * service validates NATS payloads with the same ones (game servers may call NATS directly).
 */
import { z } from 'zod';
import { positionSchema } from './accounts';
import { ErrorCode } from './errors';

/**
 * The codes the inventory's SQL functions raise (raise_error in prisma/sql/inventory/: SQLSTATE
 * P0001, MESSAGE = the code, DETAIL = JSON), each the API error of the same name. LIMIT_REACHED is
 * the active items per server limit; FORBIDDEN an item that is no longer where the caller was
 * allowed to take it from. A procedure file raising a code missing here fails libs/db's
 * procedure-sources spec.
 */
export const InventoryErrors = {
  OUT_OF_BOUNDS: ErrorCode.OUT_OF_BOUNDS,
  OVER_WEIGHT: ErrorCode.OVER_WEIGHT,
  SLOT_OCCUPIED: ErrorCode.SLOT_OCCUPIED,
  INVENTORY_LOCKED: ErrorCode.INVENTORY_LOCKED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  LIMIT_REACHED: ErrorCode.LIMIT_REACHED,
  FORBIDDEN: ErrorCode.FORBIDDEN,
} as const satisfies { [K in ErrorCode]?: K };
export type InventoryError = (typeof InventoryErrors)[keyof typeof InventoryErrors];

const uuid = z.uuid({ message: 'must be a UUID' });

/** Largest PostgreSQL `integer`: quantities are stored there, so anything above would overflow. */
export const QUANTITY_MAX = 2_147_483_647;
/** Grid sides of an inventory (issue 4). */
export const GRID_MAX = 32;
/** Positions are `smallint` columns; past a grid's edge is the procedures' OUT_OF_BOUNDS (422). */
export const POSITION_MAX = 32_767;

export const quantitySchema = z
  .int({ message: 'must be an integer' })
  .min(1, 'must be at least 1')
  .max(QUANTITY_MAX, `must be at most ${QUANTITY_MAX}`);
export const gridPositionSchema = z
  .int({ message: 'must be an integer' })
  .min(0, 'must not be negative')
  .max(POSITION_MAX, `must be at most ${POSITION_MAX}`);
const gridSide = z
  .int({ message: 'must be an integer' })
  .min(1, 'must be at least 1')
  .max(GRID_MAX, `must be at most ${GRID_MAX}`);
export const reasonSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z0-9_.:-]{1,32}$/, 'must be 1 to 32 lowercase letters, digits or _.:-');
export const lockCodeSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[A-Za-z0-9]{1,10}$/, 'must be 1 to 10 letters or digits');
export const templateIdSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z0-9_]{1,64}$/, 'must be 1 to 64 lowercase letters, digits or underscores');
/** Free-form JSON of an item, bounded so one item cannot bloat a row. */
const jsonObject = z
  .record(z.string(), z.unknown(), { message: 'must be an object' })
  .refine((v) => JSON.stringify(v).length <= 4096, 'must be at most 4096 bytes of JSON');

export const INVENTORY_OWNER_TYPES = ['player', 'structure', 'vehicle', 'container', 'corpse'] as const;
export type InventoryOwnerType = (typeof INVENTORY_OWNER_TYPES)[number];
/** Owner types a game server may act on without a joined character: world objects. */
export const WORLD_OWNER_TYPES: readonly InventoryOwnerType[] = [
  'structure',
  'vehicle',
  'container',
  'corpse',
];

export const createInventoryBody = z.strictObject({
  ownerId: uuid,
  ownerType: z.enum(INVENTORY_OWNER_TYPES, { message: `must be one of ${INVENTORY_OWNER_TYPES.join(', ')}` }),
  gridWidth: gridSide,
  gridHeight: gridSide,
  maxWeight: z.number({ message: 'must be a number' }).finite().min(0).max(1_000_000).optional(),
});

export const addItemBody = z.strictObject({
  templateId: templateIdSchema,
  quantity: quantitySchema,
  gridX: gridPositionSchema.optional(),
  gridY: gridPositionSchema.optional(),
  durability: z.number({ message: 'must be a number' }).finite().min(0).optional(),
  attachments: jsonObject.optional(),
  customData: jsonObject.optional(),
  reason: reasonSchema,
});

export const moveItemBody = z.strictObject({
  toInventoryId: uuid,
  gridX: gridPositionSchema,
  gridY: gridPositionSchema,
  quantity: quantitySchema.optional(),
  lockCode: lockCodeSchema.optional(),
});

/** Query strings are text: only plain decimal digits are a quantity ("1e3", "1.5" are not). */
export const destroyItemQuery = z.strictObject({
  quantity: z
    .string({ message: 'must be a decimal integer' })
    .regex(/^[0-9]{1,10}$/, 'must be a decimal integer')
    .transform(Number)
    .pipe(quantitySchema)
    .optional(),
  reason: reasonSchema.optional(),
});

export const lockInventoryBody = z
  .strictObject({ locked: z.boolean({ message: 'must be a boolean' }), lockCode: lockCodeSchema.optional() })
  .refine((b) => !b.locked || b.lockCode !== undefined, {
    message: 'required when locking',
    path: ['lockCode'],
  });

// NATS payloads: the HTTP body plus the path ids.
export const listCatalogRequest = z.strictObject({});
export const inventoryIdRequest = z.strictObject({ inventoryId: uuid });
export const playerInventoryRequest = z.strictObject({ playerId: uuid });
export const itemIdRequest = z.strictObject({ itemId: uuid });
export const addItemRequest = addItemBody.extend({ inventoryId: uuid });
export const moveItemRequest = moveItemBody.extend({ itemId: uuid });
export const destroyItemRequest = z.strictObject({
  itemId: uuid,
  quantity: quantitySchema.optional(),
  reason: reasonSchema.optional(),
});
export const lockInventoryRequest = z
  .strictObject({
    inventoryId: uuid,
    locked: z.boolean({ message: 'must be a boolean' }),
    lockCode: lockCodeSchema.optional(),
  })
  .refine((b) => !b.locked || b.lockCode !== undefined, {
    message: 'required when locking',
    path: ['lockCode'],
  });

/** POST /v1/players/{id}/corpse: the character died at `position` (a death outside combat). */
export const createCorpseBody = z.strictObject({ position: positionSchema });
export const createCorpseRequest = createCorpseBody.extend({ playerId: uuid });

/** The corpses.cleanup schedule: `now` is the tick (an injectable clock), internal callers only. */
export const cleanupCorpsesRequest = z.strictObject({
  now: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }),
  limit: z.int().min(1).max(10_000).optional(),
});

const lootToken = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
/** The loot_generation job (libs/queues lootGenerationJob), sent on by the worker. */
export const fillLootRequest = z.strictObject({
  containerId: uuid,
  cycle: lootToken,
  containerType: lootToken,
  biome: lootToken.optional(),
});

export const InventorySubjects = {
  listCatalog: 'inventory.catalog.list.v1',
  createInventory: 'inventory.inventory.create.v1',
  getInventory: 'inventory.inventory.get.v1',
  getPlayerInventory: 'inventory.inventory.player.v1',
  lockInventory: 'inventory.inventory.lock.v1',
  addItem: 'inventory.item.add.v1',
  moveItem: 'inventory.item.move.v1',
  destroyItem: 'inventory.item.destroy.v1',
  itemHistory: 'inventory.item.history.v1',
  createCorpse: 'inventory.corpse.create.v1',
  cleanupCorpses: 'inventory.corpse.cleanup.v1',
  fillLoot: 'inventory.loot.fill.v1',
} as const;

export interface CatalogItemView {
  id: string;
  name: string;
  category: string;
  width: number;
  height: number;
  maxStack: number;
  weight: number;
  maxDurability: number | null;
  stackable: boolean;
}

export interface ItemView {
  id: string;
  inventoryId?: string;
  templateId: string;
  gridX: number;
  gridY: number;
  gridWidth: number;
  gridHeight: number;
  quantity: number;
  durability: number | null;
  attachments: unknown;
  customData: unknown;
}

export interface InventorySummaryView {
  id: string;
  ownerId: string;
  ownerType: InventoryOwnerType;
  gridWidth: number;
  gridHeight: number;
  maxWeight: number | null;
  locked: boolean;
}

export interface InventoryView extends InventorySummaryView {
  weight: number;
  items: ItemView[];
}

/** transfer_item's result: `source` is the rest of a split stack or of a partial merge. */
export interface MoveItemView {
  operation: 'moved' | 'split' | 'merged';
  item: ItemView;
  source: ItemView | null;
}

export interface LedgerEntryView {
  id: string;
  itemId: string;
  templateId: string;
  fromInventoryId: string | null;
  toInventoryId: string | null;
  quantity: number;
  operation: string | null;
  relatedItemId: string | null;
  reason: string;
  reference: string | null;
  createdAt: string;
}

/** A corpse inventory (create_corpse): where it lies, until when, and how many stacks it holds. */
export interface CorpseView {
  inventoryId: string;
  playerId: string;
  position: { x: number; y: number; z: number };
  chunkX: number;
  chunkZ: number;
  expiresAt: string;
  items: number;
}

export interface CorpseCleanupView {
  corpses: number;
  items: number;
}

/** fill_container's result: filled = false when the cycle was filled before (its items again). */
export interface LootFillView {
  filled: boolean;
  tableId: string | null;
  items: ItemView[];
  skipped: number;
}
