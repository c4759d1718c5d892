import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  applyDecay,
  DECAY_HOURS_BY_TIER,
  STRUCTURE_TIERS,
  type DecayingStructure,
} from '@trustno1/world-domain';

const T0 = new Date('2026-11-25T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const stone = (over: Partial<DecayingStructure> = {}): DecayingStructure => ({
  tier: 'stone',
  health: 500,
  maxHealth: 500,
  upkeepPaidUntil: null,
  decayProtection: true,
  ...over,
});

describe('structure decay', () => {
  it('leaves a protected structure with paid upkeep untouched', () => {
    const r = applyDecay(stone({ upkeepPaidUntil: at(10) }), T0, at(4));
    assert.deepEqual(r, { health: 500, destroyed: false, lapsedHours: 0 });
  });

  it('decays a lapsed structure by its tier rate times the hours elapsed', () => {
    // Stone decays over 5 hours: 100 health per hour on a 500-health block.
    const r = applyDecay(stone({ upkeepPaidUntil: at(-1) }), T0, at(2));
    assert.equal(r.health, 300);
    assert.equal(r.lapsedHours, 2);
  });

  it('decays a never-paid structure', () => {
    assert.equal(applyDecay(stone(), T0, at(1)).health, 400);
  });

  it('counts only the hours after upkeep ran out', () => {
    const r = applyDecay(stone({ upkeepPaidUntil: at(1) }), T0, at(3));
    assert.equal(r.lapsedHours, 2);
    assert.equal(r.health, 300);
  });

  it('decays an unprotected structure even with upkeep paid', () => {
    const r = applyDecay(stone({ decayProtection: false, upkeepPaidUntil: at(100) }), T0, at(1));
    assert.equal(r.health, 400);
  });

  it('loses a different share per tier in the same hour', () => {
    for (const tier of STRUCTURE_TIERS) {
      const r = applyDecay({ ...stone(), tier, health: 1200, maxHealth: 1200 }, T0, at(1));
      assert.equal(r.health, 1200 - 1200 / DECAY_HOURS_BY_TIER[tier], tier);
    }
    assert.ok(DECAY_HOURS_BY_TIER.twig < DECAY_HOURS_BY_TIER.armored);
  });

  it('destroys at zero and never goes below it', () => {
    const r = applyDecay({ ...stone(), tier: 'twig', health: 10, maxHealth: 10 }, T0, at(3));
    assert.deepEqual(r, { health: 0, destroyed: true, lapsedHours: 3 });
    assert.equal(applyDecay(stone({ health: 100 }), T0, at(0.5)).destroyed, false);
  });

  it('applies a tick once: a repeat at the same instant changes nothing, steps add up', () => {
    const first = applyDecay(stone(), T0, at(2));
    const again = applyDecay(stone({ health: first.health }), at(2), at(2));
    assert.equal(again.health, first.health);
    const half = applyDecay(stone(), T0, at(1));
    const stepped = applyDecay(stone({ health: half.health }), at(1), at(2));
    assert.equal(stepped.health, first.health);
  });

  it('ignores a tick older than the last one applied', () => {
    assert.equal(applyDecay(stone(), at(5), at(4)).health, 500);
  });
});
