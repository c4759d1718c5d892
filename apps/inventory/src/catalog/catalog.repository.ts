import { Injectable } from '@nestjs/common';
import type { CatalogItemView } from '@trustno1/contracts';
import { PrismaClient } from '@trustno1/db';

@Injectable()
export class CatalogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every template, retired ones included: items in the world may still reference them. */
  async list(): Promise<CatalogItemView[]> {
    return this.prisma.itemTemplate.findMany({
      orderBy: { id: 'asc' },
      select: {
        id: true,
        name: true,
        category: true,
        width: true,
        height: true,
        maxStack: true,
        weight: true,
        maxDurability: true,
        stackable: true,
      },
    });
  }
}
