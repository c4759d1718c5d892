import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  chunkOf,
  decodeState,
  encodeState,
  lingerUntil,
  playtimeSeconds,
  type LiveState,
} from './presence.state';

describe('presence rules', () => {
  it('puts coordinates in 128-unit chunks, flooring negatives', () => {
    assert.deepEqual(
      [0, 127.999, 128, 255.9, 256, -0.001, -128, -128.5].map(chunkOf),
      [0, 0, 1, 1, 2, -1, -1, -2],
    );
  });

  it('keeps a player in the world until last combat + 30 s, and only then', () => {
    const now = 1_000_000;
    assert.equal(lingerUntil(now - 29_000, now), now + 1_000);
    assert.equal(lingerUntil(now - 30_000, now), null, 'the window is over at exactly 30 s');
    assert.equal(lingerUntil(now - 45_000, now), null);
    assert.equal(lingerUntil(null, now), null);
    assert.equal(lingerUntil(now + 5_000, now), now + 35_000, 'a hit stamped slightly ahead still counts');
  });

  it('counts playtime in whole seconds and never below zero', () => {
    assert.equal(playtimeSeconds(1_000, 91_999), 90);
    assert.equal(playtimeSeconds(5_000, 1_000), 0);
    assert.equal(playtimeSeconds(undefined, 1_000), 0);
    assert.equal(playtimeSeconds(Number.NaN, 1_000), 0);
  });

  it('round-trips a state through the Redis hash and rejects what it did not write', () => {
    const state: LiveState = {
      serverId: 's1',
      position: { x: 1.5, y: -2, z: 300 },
      rotation: { x: 0, y: 0.7, z: 0, w: 0.7 },
      health: {
        head: 100,
        thorax: 90,
        stomach: 80,
        left_arm: 70,
        right_arm: 60,
        left_leg: 50,
        right_leg: 40,
      },
      chunkX: 0,
      chunkZ: 2,
      joinedAt: 10,
      updatedAt: 20,
    };
    assert.deepEqual(decodeState(encodeState(state)), state);
    const { health: _health, ...withoutHealth } = state;
    assert.deepEqual(decodeState(encodeState(withoutHealth)), withoutHealth);
    assert.equal(decodeState({}), null);
    assert.equal(decodeState({ ...encodeState(state), position: '{broken' }), null);
    assert.equal(decodeState({ ...encodeState(state), chunkX: 'x' }), null);
  });
});
