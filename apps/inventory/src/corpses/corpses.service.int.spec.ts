/** CorpsesService against a real database, with the clock and the TTL injected. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Pool } from 'pg';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import { createTestDatabase, factories, FakeClock, type TestDatabase } from '@trustno1/testing';
import type { InventoryConfig } from '../inventory-config';
import { CorpsesRepository } from './corpses.repository';
import { CorpsesService } from './corpses.service';

describe('CorpsesService', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
    prisma = createPrismaClient(pool);
    await syncCatalog(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await db?.drop();
  });

  it('a corpse expires CORPSE_TTL_SECONDS after the clock’s now, and cleanup honours that', async () => {
    const f = factories(pool);
    const game = await f.gameServer();
    const player = await f.character();
    await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [player.id, game.id]);
    await pool.query(`SELECT add_item($1, 'stone', 5, NULL, NULL, NULL, NULL, NULL, 'test')`, [
      player.inventoryId,
    ]);
    const clock = new FakeClock(Date.now() + 24 * 3_600_000);
    const config = { CORPSE_TTL_SECONDS: 600 } as InventoryConfig;
    const service = new CorpsesService(prisma, config, clock, new CorpsesRepository());
    const server = { kind: 'server', serverId: game.id, region: game.region } as const;

    const corpse = await service.create(
      server,
      { playerId: player.id, position: { x: 1, y: 2, z: 3 } },
      undefined,
    );
    assert.equal(new Date(corpse.expiresAt).getTime(), clock.ms + 600_000);
    assert.equal(corpse.items, 1);
    clock.advance(599);
    assert.deepEqual(await service.cleanup(clock.now()), { corpses: 0, items: 0 });
    clock.advance(1);
    assert.deepEqual(await service.cleanup(clock.now()), { corpses: 1, items: 1 });
  });

  it('refuses a character joined to another server', async () => {
    const f = factories(pool);
    const [mine, theirs] = [await f.gameServer(), await f.gameServer()];
    const player = await f.character();
    await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [player.id, theirs.id]);
    const service = new CorpsesService(
      prisma,
      { CORPSE_TTL_SECONDS: 600 } as InventoryConfig,
      new FakeClock(Date.now()),
      new CorpsesRepository(),
    );
    await assert.rejects(
      service.create(
        { kind: 'server', serverId: mine.id, region: mine.region },
        { playerId: player.id, position: { x: 0, y: 0, z: 0 } },
        undefined,
      ),
      { code: 'FORBIDDEN' },
    );
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM corpses WHERE player_id = $1`, [
      player.id,
    ]);
    assert.equal(rows[0].n, 0);
  });
});
