import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';
import { StatusRepository } from './status.repository';

describe('seasons.status() on a migrated database', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1 });
    prisma = createPrismaClient(pool);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await db?.drop();
  });

  it('answers one row naming the service, its schema and its functions', async () => {
    const row = await new StatusRepository(prisma).read();
    assert.equal(row.service, 'seasons');
    assert.equal(row.schema_name, 'seasons');
    assert.ok(row.functions >= 1, 'status() itself lives in the schema');
    assert.ok(Math.abs(row.database_time.getTime() - Date.now()) < 60_000);
  });
});
