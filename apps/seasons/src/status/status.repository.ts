import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';

export interface StatusRow {
  service: string;
  schema_name: string;
  functions: number;
  database_time: Date;
}

/** The only place of the feature that speaks SQL: one call of the owner's published function. */
@Injectable()
export class StatusRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async read(): Promise<StatusRow> {
    const [row] = await this.prisma.$queryRaw<StatusRow[]>`
      SELECT service, schema_name, functions, database_time FROM seasons.status()`;
    return row;
  }
}
