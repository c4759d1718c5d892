import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';

describe('factories', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('builds a character with stats, one zero wallet per currency and a player inventory', async () => {
    const f = factories(pool);
    const c = await f.character();
    const wallets = await pool.query(
      `SELECT currency, balance FROM wallets WHERE player_id = $1 ORDER BY currency`,
      [c.id],
    );
    assert.deepEqual(
      wallets.rows.map((w) => [w.currency, w.balance]),
      [
        ['scrap', '0'],
        ['hqm', '0'],
        ['credits', '0'],
      ],
    );
    const inv = await pool.query(`SELECT owner_type FROM inventories WHERE owner_id = $1`, [c.id]);
    assert.deepEqual(inv.rows, [{ owner_type: 'player' }]);
    const stats = await pool.query(`SELECT kills_players FROM player_stats WHERE player_id = $1`, [c.id]);
    assert.equal(stats.rows[0].kills_players, 0);
  });

  it('stores only the hash of a game server key', async () => {
    const s = await factories(pool).gameServer({ region: 'na-east' });
    const row = await pool.query(`SELECT api_key_hash FROM game_servers WHERE id = $1`, [s.id]);
    assert.equal(row.rows[0].api_key_hash, createHash('sha256').update(s.apiKey).digest('hex'));
    assert.notEqual(row.rows[0].api_key_hash, s.apiKey);
  });

  it('gives every account a unique username and email', async () => {
    const f = factories(pool);
    const accounts = await Promise.all(Array.from({ length: 20 }, () => f.account()));
    assert.equal(new Set(accounts.map((a) => a.username)).size, 20);
    assert.equal(new Set(accounts.map((a) => a.email)).size, 20);
  });
});
