/**
 * Issue 11, no item without a ledger row: ledgers.verify replays the item and wallet ledgers
 * against the tables on a real database, as the worker's own role runs it. A consistent world
 * reports nothing; an item or a coin changed behind the ledger's back is found, counted in
 * tn1_ledger_mismatches and named.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createPool, createPrismaClient, databaseRole, type PrismaClient } from '@trustno1/db';
import { AppMetrics } from '@trustno1/observability';
import { ProcessorRegistry } from '@trustno1/queues';
import { factories, openTestStores, type TestStores } from '@trustno1/testing';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import { LedgersProcessor } from './ledgers.processor';
import { LedgersRepository } from './ledgers.repository';

describe('ledgers.verify', () => {
  let stores: TestStores;
  let workerPool: Pool;
  let prisma: PrismaClient;
  let metrics: AppMetrics;
  let processor: LedgersProcessor;

  beforeAll(async () => {
    stores = await openTestStores();
    // As the worker connects: its own role, which may only run the owners' published checks.
    const url = new URL(stores.db.url);
    url.username = databaseRole('worker');
    workerPool = createPool({ url: url.toString(), max: 2 });
    prisma = createPrismaClient(workerPool);
    metrics = new AppMetrics(new Registry());
    processor = new LedgersProcessor(new ProcessorRegistry(), new LedgersRepository(prisma), metrics);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await workerPool?.end();
    await stores?.close();
  });

  it('finds nothing in a world changed only through the procedures, then names what was changed behind them', async () => {
    const { pool } = stores;
    const f = factories(pool);
    await f.itemTemplate({ id: 'ledger_rock', maxStack: 50 });
    const box = await f.inventory();
    const character = await f.character();
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM add_item($1, 'ledger_rock', 10, NULL, NULL, NULL, NULL, NULL, 'test')`,
      [box.id],
    );
    await pool.query(`SELECT transfer_item($1, $2, 0, 0, 4, NULL, NULL, 'test')`, [
      rows[0].id,
      character.inventoryId,
    ]);

    const clean = await processor.run();
    assert.deepEqual([clean.items.mismatches, clean.wallets.mismatches], [0, 0]);
    assert.match(await metrics.registry.metrics(), /tn1_ledger_mismatches\{ledger="items"\} 0/);

    // Behind the procedures' backs: 3 rocks appear from nowhere, and a coin.
    await pool.query(`UPDATE inventory_items SET quantity = quantity + 3 WHERE id = $1`, [rows[0].id]);
    await pool.query(`UPDATE wallets SET balance = balance + 1 WHERE player_id = $1 AND currency = 'scrap'`, [
      character.id,
    ]);
    const dirty = await processor.run();
    assert.equal(dirty.items.mismatches, 1);
    assert.deepEqual(dirty.items.firstMismatch, {
      inventoryId: box.id,
      templateId: 'ledger_rock',
      ledger: 6,
      actual: 9,
    });
    assert.equal(dirty.wallets.mismatches, 1);
    assert.deepEqual(dirty.wallets.firstMismatch, {
      playerId: character.id,
      currency: 'scrap',
      ledger: 0,
      actual: 1,
    });
    const text = await metrics.registry.metrics();
    assert.match(text, /tn1_ledger_mismatches\{ledger="items"\} 1/);
    assert.match(text, /tn1_ledger_mismatches\{ledger="wallets"\} 1/);
  });
});
