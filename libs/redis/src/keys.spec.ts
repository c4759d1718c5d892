import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import calculateSlot from 'cluster-key-slot';
import { DAMAGE_QUEUE } from '@trustno1/contracts';
import { LEADERBOARDS, PROCESSING_QUEUES, RedisKeys, TTL } from '@trustno1/redis';

const P = '5b0c2a4e-0f6e-4c59-9a55-3f3c1a2b7d10';

// Transcribed from the seed's Redis section: pattern as written there → what the builder returns.
const SEED_KEYS: Array<[string, string]> = [
  ['player:{id}:state', RedisKeys.playerState(P)],
  ['player:{id}:combat', RedisKeys.playerCombat(P)],
  ['player:{id}:buffs', RedisKeys.playerBuffs(P)],
  ['player:{id}:cooldowns', RedisKeys.playerCooldowns(P)],
  ['player:{id}:session', RedisKeys.playerSession(P)],
  ['chunk:{x}:{z}:players', RedisKeys.chunkPlayers(3, -7)],
  ['chunk:{x}:{z}:entities', RedisKeys.chunkEntities(3, -7)],
  ['chunk:{x}:{z}:events', RedisKeys.chunkEvents(3, -7)],
  ['chunk:{x}:{z}:modified', RedisKeys.chunkModified(3, -7)],
  ['damage:queue', RedisKeys.damageQueue()],
  ['projectiles:active', RedisKeys.projectilesActive()],
  ['combat:recent:{player_id}', RedisKeys.combatRecent(P)],
  ['market:prices:{item_id}', RedisKeys.marketPrices('rifle_ak')],
  ['market:volume:{item_id}', RedisKeys.marketVolume('rifle_ak')],
  ['market:trends', RedisKeys.marketTrends()],
  ['queue:loot_generation', RedisKeys.processingQueue('loot_generation')],
  ['queue:structure_decay', RedisKeys.processingQueue('structure_decay')],
  ['queue:event_spawn', RedisKeys.processingQueue('event_spawn')],
  ['queue:ai_pathfinding', RedisKeys.processingQueue('ai_pathfinding')],
  ['leaderboard:kills:daily', RedisKeys.leaderboard('kills:daily')],
  ['leaderboard:kills:weekly', RedisKeys.leaderboard('kills:weekly')],
  ['leaderboard:wealth', RedisKeys.leaderboard('wealth')],
  ['leaderboard:playtime', RedisKeys.leaderboard('playtime')],
  ['leaderboard:faction:power', RedisKeys.leaderboard('faction:power')],
  ['sessions:active', RedisKeys.sessionsActive()],
  ['matchmaking:queue:{region}', RedisKeys.matchmakingQueue('eu-west')],
  ['server:status:{id}', RedisKeys.serverStatus(P)],
];

const VALUES: Record<string, string> = {
  id: P,
  player_id: P,
  x: '3',
  z: '-7',
  item_id: 'rifle_ak',
  region: 'eu-west',
};

/** Fills the seed's placeholders, keeping the braces that become hash tags. */
function render(pattern: string): string {
  return pattern.replace(/\{(\w+)\}/g, (_, name: string) => `{${VALUES[name]}}`);
}

/** The design document beside the repository (CI lays `../shared` there): its absence is a failure. */
const SEED_DOCUMENT = join(__dirname, '../../../../shared/seed/000_d697cb0fc9a32af7.txt');

function seedKeyPatterns(): string[] {
  if (!existsSync(SEED_DOCUMENT))
    throw new Error(
      `the seed document ${SEED_DOCUMENT} is missing: this test compares the keys against it and ` +
        'cannot pass without it (check out ../shared beside the repository)',
    );
  const text = readFileSync(SEED_DOCUMENT, 'utf8');
  const section = text.slice(text.indexOf('### Estructura de Keys'), text.indexOf('### TTL y Expiración'));
  return [...section.matchAll(/^([a-z_]+:[^\s#]+)\s+#/gm)].map((m) => m[1]);
}

describe('Redis keys', () => {
  it('builds every key of the seed with the seed name, braces as hash tags', () => {
    for (const [pattern, built] of SEED_KEYS) assert.equal(built, render(pattern), pattern);
  });

  it('covers every key listed in the seed document', () => {
    const patterns = seedKeyPatterns();
    assert.ok(patterns.length >= 27, `parsed only ${patterns.length} keys from the seed`);
    assert.deepEqual([...patterns].sort(), SEED_KEYS.map(([p]) => p).sort());
  });

  it('keeps every key of one player, and every key of one chunk, in one cluster slot', () => {
    const playerSlots = new Set(
      [
        RedisKeys.playerState(P),
        RedisKeys.playerCombat(P),
        RedisKeys.playerBuffs(P),
        RedisKeys.playerCooldowns(P),
        RedisKeys.playerSession(P),
        RedisKeys.combatRecent(P),
      ].map((k) => calculateSlot(k)),
    );
    assert.equal(playerSlots.size, 1);
    const chunkSlots = new Set(
      [
        RedisKeys.chunkPlayers(9, 9),
        RedisKeys.chunkEntities(9, 9),
        RedisKeys.chunkEvents(9, 9),
        RedisKeys.chunkModified(9, 9),
      ].map((k) => calculateSlot(k)),
    );
    assert.equal(chunkSlots.size, 1);
  });

  it('names damage:queue as the combat contract does, and keeps its drainer keys in its slot', () => {
    assert.equal(DAMAGE_QUEUE, RedisKeys.damageQueue());
    const slots = [
      'damage:queue',
      '{damage:queue}:processing',
      '{damage:queue}:drainer',
      '{damage:queue}:dead',
    ];
    assert.equal(new Set(slots.map((k) => calculateSlot(k))).size, 1);
  });

  it("keeps each leaderboard's names, state and rebuild keys in the board's own slot", () => {
    for (const board of LEADERBOARDS) {
      const keys = [
        RedisKeys.leaderboard(board),
        RedisKeys.leaderboardNames(board),
        RedisKeys.leaderboardMeta(board),
        RedisKeys.leaderboardBuilding(board, 'b1', 'scores'),
        RedisKeys.leaderboardBuilding(board, 'b1', 'names'),
        RedisKeys.leaderboardBuilding(board, 'b1', 'meta'),
      ];
      assert.equal(new Set(keys.map((k) => calculateSlot(k))).size, 1, board);
    }
    assert.throws(() => RedisKeys.leaderboardBuilding('wealth', 'a:b', 'meta'), /invalid Redis key part/);
  });

  it('uses the TTLs of the seed', () => {
    assert.equal(TTL.playerState, 5 * 60); // "Estado del jugador: 5 minutos"
    assert.equal(TTL.chunkInactive, 10 * 60); // "Chunks inactivos: 10 minutos"
    assert.equal(TTL.session, 24 * 60 * 60); // "Sesiones: 24 horas"
    assert.equal(TTL.playerSession, 24 * 60 * 60);
    assert.equal(TTL.combatRecent, 60 * 60); // "Logs de combate: 1 hora"
    assert.equal(TTL.leaderboard, null); // "Persistente"
    assert.equal(TTL.queue, null); // "Sin expiración"
  });

  it('lists the five leaderboards, the four queues of the seed and raid_alerts', () => {
    assert.deepEqual(
      [...LEADERBOARDS],
      ['kills:daily', 'kills:weekly', 'wealth', 'playtime', 'faction:power'],
    );
    assert.deepEqual(
      [...PROCESSING_QUEUES],
      ['loot_generation', 'structure_decay', 'event_spawn', 'ai_pathfinding', 'raid_alerts'],
    );
  });

  it('refuses parts that would break the key space', () => {
    assert.throws(() => RedisKeys.playerState(''), /invalid Redis key part/);
    assert.throws(() => RedisKeys.playerState('a}b'), /invalid Redis key part/);
    assert.throws(() => RedisKeys.chunkPlayers(1.5, 0), /integer/);
    assert.throws(() => RedisKeys.matchmakingQueue('eu west'), /invalid Redis key part/);
  });
});
