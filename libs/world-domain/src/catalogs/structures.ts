import { decayPerHour, STRUCTURE_TIERS, type StructureTier } from '../decay';
import type { StructureType } from './schema';

type Upkeep = StructureType['upkeep'];

/** Health of a full-size building block (foundation, wall) per tier; floors have 60 % of it. */
const BLOCK_HEALTH: Record<StructureTier, number> = {
  twig: 10,
  wood: 250,
  stone: 500,
  metal: 1000,
  armored: 2000,
};

/** Daily upkeep of one building block per tier; twig costs nothing and gets no protection anyway. */
const BLOCK_UPKEEP: Record<StructureTier, Upkeep> = {
  twig: [],
  wood: [{ itemTemplateId: 'wood', amount: 20 }],
  stone: [{ itemTemplateId: 'stone', amount: 30 }],
  metal: [{ itemTemplateId: 'metal_fragments', amount: 20 }],
  armored: [{ itemTemplateId: 'high_quality_metal', amount: 2 }],
};

/**
 * Items a repair of one building block from zero to full health takes, per tier: two and a half
 * days of its upkeep, in the same material; twig, which has no upkeep, takes a little wood.
 */
const BLOCK_REPAIR: Record<StructureTier, Upkeep> = {
  twig: [{ itemTemplateId: 'wood', amount: 10 }],
  wood: [{ itemTemplateId: 'wood', amount: 50 }],
  stone: [{ itemTemplateId: 'stone', amount: 75 }],
  metal: [{ itemTemplateId: 'metal_fragments', amount: 50 }],
  armored: [{ itemTemplateId: 'high_quality_metal', amount: 5 }],
};

/** Half of a block's amounts (at least one of each): what a deployable of the tier costs. */
const half = (amounts: Upkeep): Upkeep =>
  amounts.map((u) => ({ ...u, amount: Math.max(1, Math.ceil(u.amount / 2)) }));

function block(category: 'foundation' | 'wall' | 'floor', tier: StructureTier): StructureType {
  const maxHealth = category === 'floor' ? BLOCK_HEALTH[tier] * 0.6 : BLOCK_HEALTH[tier];
  return {
    id: `${category}_${tier}`,
    tier,
    category,
    maxHealth,
    decayPerHour: decayPerHour(tier, maxHealth),
    upkeep: BLOCK_UPKEEP[tier],
    repair: BLOCK_REPAIR[tier],
    buildable: true,
    toolCupboard: false,
    storage: null,
  };
}

/** A deployable (door, box, cupboard) of a fixed tier; its decay follows the same tier rule. */
function deployable(
  id: string,
  category: 'door' | 'tool_cupboard' | 'storage',
  tier: StructureTier,
  maxHealth: number,
  storage: StructureType['storage'],
): StructureType {
  return {
    id,
    tier,
    category,
    maxHealth,
    decayPerHour: decayPerHour(tier, maxHealth),
    upkeep: half(BLOCK_UPKEEP[tier]),
    repair: half(BLOCK_REPAIR[tier]),
    buildable: true,
    toolCupboard: category === 'tool_cupboard',
    storage,
  };
}

/** Every structure type players can place. Twig blocks are the first step of each building. */
export const STRUCTURE_TYPES: StructureType[] = [
  ...(['foundation', 'wall', 'floor'] as const).flatMap((c) => STRUCTURE_TIERS.map((t) => block(c, t))),
  deployable('door_wood', 'door', 'wood', 200, null),
  deployable('door_metal', 'door', 'metal', 800, null),
  deployable('door_armored', 'door', 'armored', 1600, null),
  // The cupboard's inventory holds the upkeep materials it pays from.
  deployable('tool_cupboard', 'tool_cupboard', 'wood', 100, { gridWidth: 6, gridHeight: 4 }),
  deployable('storage_box_small', 'storage', 'wood', 100, { gridWidth: 4, gridHeight: 3 }),
  deployable('storage_box_large', 'storage', 'wood', 200, { gridWidth: 8, gridHeight: 6 }),
  deployable('storage_locker_metal', 'storage', 'metal', 600, { gridWidth: 6, gridHeight: 6 }),
  deployable('storage_vault_armored', 'storage', 'armored', 1500, { gridWidth: 10, gridHeight: 8 }),
];
