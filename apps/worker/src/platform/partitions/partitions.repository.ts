import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';

@Injectable()
export class PartitionsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Runs ensure_partitions (idempotent, advisory-locked in SQL); returns the partitions it created. */
  async ensurePartitions(monthsAhead: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ created: string }[]>`
      SELECT ensure_partitions(${monthsAhead}::int) AS created`;
    return rows.map((r) => r.created);
  }
}
