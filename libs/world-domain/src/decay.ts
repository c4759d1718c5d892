/**
 * Decay rules: the one table both this function and the `apply_structure_decay` SQL procedure use
 * (the procedure is generated from or checked against {@link DECAY_HOURS_BY_TIER}).
 */
export const STRUCTURE_TIERS = ['twig', 'wood', 'stone', 'metal', 'armored'] as const;
export type StructureTier = (typeof STRUCTURE_TIERS)[number];

/** Hours a structure of each tier takes to decay from full health to zero once upkeep lapses. */
export const DECAY_HOURS_BY_TIER: Readonly<Record<StructureTier, number>> = {
  twig: 1,
  wood: 3,
  stone: 5,
  metal: 8,
  armored: 12,
};

/** Health lost per hour of lapsed upkeep: a tier decays over a fixed time whatever its max health. */
export function decayPerHour(tier: StructureTier, maxHealth: number): number {
  return maxHealth / DECAY_HOURS_BY_TIER[tier];
}

export interface DecayingStructure {
  tier: StructureTier;
  health: number;
  maxHealth: number;
  /** Upkeep is paid up to this instant; null means never paid. */
  upkeepPaidUntil: Date | null;
  /** `structures.decay_protection`: true lets paid upkeep protect it; false decays regardless. */
  decayProtection: boolean;
}

export interface DecayResult {
  health: number;
  destroyed: boolean;
  /** Hours of this interval that counted as lapsed. */
  lapsedHours: number;
}

const HOUR_MS = 3_600_000;

/**
 * Health after decay between `lastAppliedAt` and `now`. Only the part of that interval after
 * `upkeepPaidUntil` decays (all of it when unprotected), so applying the same tick twice, or in
 * several shorter steps, gives the same health as one step.
 */
export function applyDecay(structure: DecayingStructure, lastAppliedAt: Date, now: Date): DecayResult {
  const end = now.getTime();
  let start = lastAppliedAt.getTime();
  if (structure.decayProtection && structure.upkeepPaidUntil) {
    start = Math.max(start, structure.upkeepPaidUntil.getTime());
  }
  const lapsedHours = Math.max(0, end - start) / HOUR_MS;
  const loss = lapsedHours * decayPerHour(structure.tier, structure.maxHealth);
  const health = Math.max(0, structure.health - loss);
  return { health, destroyed: health <= 0, lapsedHours };
}
