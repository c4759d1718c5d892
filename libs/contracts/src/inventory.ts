/**
 * Inventory domain contract (issue 4): subjects, payload schemas and views of the item catalog,
 * grid inventories and items. The gateway validates bodies with these schemas and the inventory
 * service validates NATS payloads with the same ones (game servers may call NATS directly).
 */
import { z } from 'zod';
import { positionSchema } from './accounts';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';

/**
 * The codes the inventory's SQL functions raise (raise_error in prisma/sql/inventory/: SQLSTATE
 * P0001, MESSAGE = the code, DETAIL = JSON), each the API error of the same name. LIMIT_REACHED is
 * the active items per server limit; FORBIDDEN an inventory the calling server may not act on;
 * CONFLICT (reason ITEM_MOVED) an item that is not where the caller said it was. A procedure file raising a code missing here fails libs/db's
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
  /** The item is not in the inventory the caller named (reason ITEM_MOVED). */
  CONFLICT: ErrorCode.CONFLICT,
  /** A consume of more than the stack holds (inventory.consume_item). */
  INSUFFICIENT_QUANTITY: ErrorCode.INSUFFICIENT_QUANTITY,
  /** Raised by the platform's idempotency_claim inside an inventory operation. */
  IDEMPOTENCY_KEY_REUSED: ErrorCode.IDEMPOTENCY_KEY_REUSED,
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

/** `market`: a listing's escrow or a claim's items, moved only by the market (issue 13). */
export const INVENTORY_OWNER_TYPES = [
  'player',
  'structure',
  'vehicle',
  'container',
  'corpse',
  'market',
] as const;
export type InventoryOwnerType = (typeof INVENTORY_OWNER_TYPES)[number];
/** Owner types a game server may act on without a joined character: world objects. */
export const WORLD_OWNER_TYPES: readonly InventoryOwnerType[] = [
  'structure',
  'vehicle',
  'container',
  'corpse',
];

/** What POST /v1/inventories creates: corpses come only from a death (create_corpse). */
export const CREATABLE_OWNER_TYPES = ['player', 'structure', 'vehicle', 'container'] as const;

export const createInventoryBody = z.strictObject({
  ownerId: uuid,
  ownerType: z.enum(CREATABLE_OWNER_TYPES, { message: `must be one of ${CREATABLE_OWNER_TYPES.join(', ')}` }),
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
  /** Where the caller believes the item is; if it is elsewhere now, 409 CONFLICT (ITEM_MOVED). */
  fromInventoryId: uuid.optional(),
  gridX: gridPositionSchema,
  gridY: gridPositionSchema,
  quantity: quantitySchema.optional(),
  /**
   * Deprecated: the code of whichever end is locked and has no code of its own below (kept for
   * old callers; a move between two locked inventories needs fromLockCode and toLockCode).
   */
  lockCode: lockCodeSchema.optional(),
  /** Opens a locked source inventory. */
  fromLockCode: lockCodeSchema.optional(),
  /** Opens a locked destination inventory. */
  toLockCode: lockCodeSchema.optional(),
});

/** POST /v1/items/{id}/consume: uses up part of a stack (eating, reloading, crafting input). */
export const consumeItemBody = z.strictObject({
  quantity: quantitySchema,
  reason: reasonSchema,
  /** Where the caller believes the item is; if it is elsewhere now, 409 CONFLICT (ITEM_MOVED). */
  fromInventoryId: uuid.optional(),
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
export const consumeItemRequest = consumeItemBody.extend({ itemId: uuid });
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
  consumeItem: 'inventory.item.consume.v1',
  destroyItem: 'inventory.item.destroy.v1',
  itemHistory: 'inventory.item.history.v1',
  createCorpse: 'inventory.corpse.create.v1',
  cleanupCorpses: 'inventory.corpse.cleanup.v1',
  fillLoot: 'inventory.loot.fill.v1',
} as const;

// ---- views (replies) ---------------------------------------------------------------------------

const jsonValue = z.unknown();
const timestamp = z.string().describe('ISO 8601 date-time');

export const catalogItemView = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  width: z.int(),
  height: z.int(),
  maxStack: z.int(),
  weight: z.number(),
  maxDurability: z.number().nullable(),
  stackable: z.boolean(),
});
export type CatalogItemView = z.infer<typeof catalogItemView>;

export const itemView = z.object({
  id: z.uuid(),
  inventoryId: z.uuid().optional(),
  templateId: z.string(),
  gridX: z.int(),
  gridY: z.int(),
  gridWidth: z.int(),
  gridHeight: z.int(),
  quantity: z.int(),
  durability: z.number().nullable(),
  attachments: jsonValue,
  customData: jsonValue,
});
export type ItemView = z.infer<typeof itemView>;

export const inventorySummaryView = z.object({
  id: z.uuid(),
  ownerId: z.uuid(),
  ownerType: z.enum(INVENTORY_OWNER_TYPES),
  gridWidth: z.int(),
  gridHeight: z.int(),
  maxWeight: z.number().nullable(),
  locked: z.boolean(),
});
export type InventorySummaryView = z.infer<typeof inventorySummaryView>;

export const inventoryView = inventorySummaryView.extend({
  weight: z.number(),
  items: z.array(itemView),
});
export type InventoryView = z.infer<typeof inventoryView>;

/** transfer_item's result: `source` is the rest of a split stack or of a partial merge. */
export const moveItemView = z.object({
  operation: z.enum(['moved', 'split', 'merged']),
  item: itemView,
  source: itemView.nullable(),
});
export type MoveItemView = z.infer<typeof moveItemView>;

/** consume_item's result: what is left of the stack (null when it was used up). */
export const consumeItemView = z.object({
  inventoryId: z.uuid(),
  item: itemView.nullable(),
  removed: z.int(),
});
export type ConsumeItemView = z.infer<typeof consumeItemView>;

export const ledgerEntryView = z.object({
  id: z.string(),
  itemId: z.uuid(),
  templateId: z.string(),
  fromInventoryId: z.uuid().nullable(),
  toInventoryId: z.uuid().nullable(),
  quantity: z.int(),
  operation: z.string().nullable(),
  relatedItemId: z.uuid().nullable(),
  reason: z.string(),
  reference: z.string().nullable(),
  createdAt: timestamp,
});
export type LedgerEntryView = z.infer<typeof ledgerEntryView>;

/** A corpse inventory (create_corpse): where it lies, until when, and how many stacks it holds. */
export const corpseView = z.object({
  inventoryId: z.uuid(),
  playerId: z.uuid(),
  position: z.object({ x: z.number(), y: z.number(), z: z.number() }),
  chunkX: z.int(),
  chunkZ: z.int(),
  expiresAt: timestamp,
  items: z.int(),
});
export type CorpseView = z.infer<typeof corpseView>;

export const corpseCleanupView = z.object({ corpses: z.int(), items: z.int() });
export type CorpseCleanupView = z.infer<typeof corpseCleanupView>;

/** fill_container's result: filled = false when the cycle was filled before (its items again). */
export const lootFillView = z.object({
  filled: z.boolean(),
  tableId: z.string().nullable(),
  items: z.array(itemView),
  skipped: z.int(),
});
export type LootFillView = z.infer<typeof lootFillView>;

// ---- operations ----------------------------------------------------------------------------------

const {
  NOT_FOUND,
  FORBIDDEN,
  SLOT_OCCUPIED,
  OUT_OF_BOUNDS,
  OVER_WEIGHT,
  INVENTORY_LOCKED,
  LIMIT_REACHED,
  CONFLICT,
  INSUFFICIENT_QUANTITY,
} = ErrorCode;
const TAG = 'inventory';

/** The inventory service's operations (SPEC §7 "Inventory"); game servers write, players read their own. */
export const InventoryOps = {
  listCatalog: defineOperation({
    subject: InventorySubjects.listCatalog,
    request: listCatalogRequest,
    reply: z.array(catalogItemView),
    principals: ['server', 'player'],
    idempotent: false,
    errors: [],
    http: { method: 'GET', path: '/v1/catalog/items', status: 200, tag: TAG, summary: 'The item catalog' },
  }),
  createInventory: defineOperation({
    subject: InventorySubjects.createInventory,
    request: createInventoryBody,
    reply: inventorySummaryView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/inventories',
      status: 201,
      body: createInventoryBody,
      tag: TAG,
      summary: 'Create an empty, unlocked grid inventory',
    },
  }),
  getInventory: defineOperation({
    subject: InventorySubjects.getInventory,
    request: inventoryIdRequest,
    reply: inventoryView,
    principals: ['server', 'player'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/inventories/{id}',
      params: { id: 'inventoryId' },
      status: 200,
      tag: TAG,
      summary: 'An inventory with its weight and items',
    },
  }),
  getPlayerInventory: defineOperation({
    subject: InventorySubjects.getPlayerInventory,
    request: playerInventoryRequest,
    reply: inventoryView,
    principals: ['server', 'player'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/players/{id}/inventory',
      params: { id: 'playerId' },
      status: 200,
      tag: TAG,
      summary: "A character's own inventory",
    },
  }),
  lockInventory: defineOperation({
    subject: InventorySubjects.lockInventory,
    request: lockInventoryRequest,
    reply: z.null(),
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, INVENTORY_LOCKED],
    http: {
      method: 'PUT',
      path: '/v1/inventories/{id}/lock',
      params: { id: 'inventoryId' },
      body: lockInventoryBody,
      status: 204,
      tag: TAG,
      summary:
        'Lock with a code, or unlock (the code is cleared); a locked inventory changes only with its code (INVENTORY_LOCKED, reason CODE_REQUIRED or WRONG_CODE)',
    },
  }),
  addItem: defineOperation({
    subject: InventorySubjects.addItem,
    request: addItemRequest,
    reply: itemView,
    principals: ['server'],
    idempotent: true,
    errors: [
      NOT_FOUND,
      FORBIDDEN,
      SLOT_OCCUPIED,
      OUT_OF_BOUNDS,
      OVER_WEIGHT,
      INVENTORY_LOCKED,
      LIMIT_REACHED,
    ],
    http: {
      method: 'POST',
      path: '/v1/inventories/{id}/items',
      params: { id: 'inventoryId' },
      body: addItemBody,
      status: 201,
      tag: TAG,
      summary: 'Create an item (at the first free place when no position is given)',
    },
  }),
  moveItem: defineOperation({
    subject: InventorySubjects.moveItem,
    request: moveItemRequest,
    reply: moveItemView,
    principals: ['server'],
    idempotent: true,
    errors: [
      NOT_FOUND,
      FORBIDDEN,
      SLOT_OCCUPIED,
      OUT_OF_BOUNDS,
      OVER_WEIGHT,
      INVENTORY_LOCKED,
      LIMIT_REACHED,
      CONFLICT,
    ],
    http: {
      method: 'POST',
      path: '/v1/items/{id}/move',
      params: { id: 'itemId' },
      body: moveItemBody,
      status: 200,
      tag: TAG,
      summary:
        'Move, split (partial quantity) or merge (same template at the target) an item; fromLockCode and toLockCode open a locked source and destination',
    },
  }),
  consumeItem: defineOperation({
    subject: InventorySubjects.consumeItem,
    request: consumeItemRequest,
    reply: consumeItemView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT, INSUFFICIENT_QUANTITY],
    http: {
      method: 'POST',
      path: '/v1/items/{id}/consume',
      params: { id: 'itemId' },
      body: consumeItemBody,
      status: 200,
      tag: TAG,
      summary: 'Use up part of a stack, one ledger row (INSUFFICIENT_QUANTITY: more than the stack holds)',
    },
  }),
  destroyItem: defineOperation({
    subject: InventorySubjects.destroyItem,
    request: destroyItemRequest,
    reply: z.null(),
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, INVENTORY_LOCKED, CONFLICT],
    http: {
      method: 'DELETE',
      path: '/v1/items/{id}',
      params: { id: 'itemId' },
      query: destroyItemQuery,
      status: 204,
      tag: TAG,
      summary: 'Destroy an item or part of its stack (one ledger row)',
    },
  }),
  itemHistory: defineOperation({
    subject: InventorySubjects.itemHistory,
    request: itemIdRequest,
    reply: z.array(ledgerEntryView),
    principals: ['server'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/items/{id}/history',
      params: { id: 'itemId' },
      status: 200,
      tag: TAG,
      summary: 'The ledger rows of an item and of its splits and merges, oldest first',
    },
  }),
  createCorpse: defineOperation({
    subject: InventorySubjects.createCorpse,
    request: createCorpseRequest,
    reply: corpseView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/corpse',
      params: { id: 'playerId' },
      body: createCorpseBody,
      status: 201,
      tag: TAG,
      summary: "A death outside combat: the character's items move to a new corpse",
    },
  }),
  cleanupCorpses: defineOperation({
    subject: InventorySubjects.cleanupCorpses,
    request: cleanupCorpsesRequest,
    reply: corpseCleanupView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
  fillLoot: defineOperation({
    subject: InventorySubjects.fillLoot,
    request: fillLootRequest,
    reply: lootFillView,
    principals: ['admin'],
    idempotent: false,
    errors: [NOT_FOUND],
  }),
} as const;
