import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CatalogItemView } from '@trustno1/contracts';
import { PrismaClient } from '@trustno1/db';
import { syncCatalog } from '@trustno1/inventory-domain';
import { CatalogRepository } from './catalog.repository';

@Injectable()
export class CatalogService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogService.name);
  /** Templates change only at start-up (syncCatalog), so the list is read once and kept. */
  private cached: Promise<CatalogItemView[]> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: CatalogRepository,
  ) {}

  /** Idempotent and serialised by an advisory lock, so every replica runs it at start-up. */
  async onApplicationBootstrap(): Promise<void> {
    const result = await syncCatalog(this.prisma);
    this.logger.log(
      `catalog ${result.version}: ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged`,
    );
  }

  list(): Promise<CatalogItemView[]> {
    this.cached ??= this.repository.list().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }
}
