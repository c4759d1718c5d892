import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  biomeOf,
  SAMPLE_SPACING,
  seedFrom,
  terrainHeight,
  terrainMoisture,
  WATER_LEVEL,
  WORLD_CATALOGS,
} from '@trustno1/world-domain';
import { ConfigError } from '@trustno1/config';
import { loadEventsConfig } from './events-config';
import { rollRewards } from './events.service';
import { pickSpawnLocation } from './spawn-location';

const SEED = seedFrom(42);
const BOUNDS = { halfSize: 4096, attempts: 256 };

describe('event spawn locations', () => {
  it('puts every template on dry land of one of its biomes, inside the bounds, on a sample point', () => {
    for (const template of WORLD_CATALOGS.events) {
      for (let tick = 0; tick < 40; tick++) {
        const at = pickSpawnLocation(SEED, template, `event.${template.id}.any.${tick}`, BOUNDS);
        assert.ok(at, `${template.id} tick ${tick}`);
        assert.ok(Math.abs(at.x) <= BOUNDS.halfSize && Math.abs(at.z) <= BOUNDS.halfSize);
        assert.equal(Math.abs(at.x % SAMPLE_SPACING), 0);
        assert.equal(Math.abs(at.z % SAMPLE_SPACING), 0);
        // Checked against the terrain itself, not the function's own answer.
        const height = terrainHeight(SEED, at.x, at.z);
        assert.equal(at.y, height);
        assert.ok(height >= WATER_LEVEL);
        const biome = biomeOf(height, terrainMoisture(SEED, at.x, at.z));
        assert.ok((template.spawnBiomes as string[]).includes(biome), `${template.id} in ${biome}`);
      }
    }
  });

  it('is reproducible for a spawn key and differs between keys', () => {
    const airdrop = WORLD_CATALOGS.events.find((e) => e.id === 'airdrop')!;
    const a = pickSpawnLocation(SEED, airdrop, 'event.airdrop.any.1', BOUNDS);
    assert.deepEqual(pickSpawnLocation(SEED, airdrop, 'event.airdrop.any.1', BOUNDS), a);
    const others = Array.from({ length: 10 }, (_, i) =>
      pickSpawnLocation(SEED, airdrop, `event.airdrop.any.x${i}`, BOUNDS),
    );
    assert.ok(others.some((o) => o?.x !== a?.x || o?.z !== a?.z));
  });

  it('never places an event in water, and gives up after the attempts', () => {
    assert.equal(pickSpawnLocation(SEED, { spawnBiomes: ['water'] }, 'k', BOUNDS), null);
  });

  it('rolls a reward of the template within its range, the same for the same event', () => {
    for (const template of WORLD_CATALOGS.events) {
      for (let i = 0; i < 50; i++) {
        const [reward] = rollRewards(template, `event-${i}`);
        const entry = template.rewards.find((r) => r.itemTemplateId === reward.itemTemplateId);
        assert.ok(entry);
        assert.ok(
          reward.quantity >= entry.min && reward.quantity <= entry.max && Number.isInteger(reward.quantity),
        );
        assert.deepEqual(rollRewards(template, `event-${i}`), [reward]);
      }
    }
    assert.deepEqual(rollRewards(undefined, 'x'), []);
  });
  it('reads its bounds from the environment, refusing a bad value by name', () => {
    assert.deepEqual(loadEventsConfig({}), { EVENT_WORLD_HALF_SIZE: 4096, EVENT_SPAWN_ATTEMPTS: 256 });
    assert.equal(loadEventsConfig({ EVENT_WORLD_HALF_SIZE: '1000' }).EVENT_WORLD_HALF_SIZE, 1000);
    for (const [name, value] of [
      ['EVENT_WORLD_HALF_SIZE', '0'],
      ['EVENT_WORLD_HALF_SIZE', 'far'],
      ['EVENT_SPAWN_ATTEMPTS', '1.5'],
    ])
      assert.throws(
        () => loadEventsConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
  });
});
