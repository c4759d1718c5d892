import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

/** Prisma on the app's own pg pool, so both share connections and the slow-statement hook. */
export function createPrismaClient(pool: Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

/** `Prisma.sql` composes a constant SQL fragment into a `$queryRaw` template, still parameterised. */
export { Prisma, PrismaClient };
