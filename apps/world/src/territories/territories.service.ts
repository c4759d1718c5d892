import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { enqueueEventPrisma } from '@trustno1/bus';
import {
  TerritoryEvents,
  type CaptureResultView,
  type CreateTerritoryBody,
  type TerritoryCapturedEvent,
  type TerritoryResourcesCreditView,
  type TerritoryView,
} from '@trustno1/contracts';
import { prismaTransaction, PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { CLOCK, type Clock } from '../clock/clock';
import { mapProcedureErrors } from '../procedures/procedure-errors';
import { TerritoriesRepository } from './territories.repository';

const HOUR_MS = 3_600_000;

@Injectable()
export class TerritoriesService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: TerritoriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(): Promise<TerritoryView[]> {
    return this.repository.list(this.prisma);
  }

  /** Operators define territories (admin); nobody owns a new one. */
  async create(body: CreateTerritoryBody, claim: IdempotencyClaim | undefined): Promise<TerritoryView> {
    const { result } = await runIdempotentPrisma(this.prisma, claim, (tx) =>
      this.repository.insert(tx, randomUUID(), body),
    );
    return result;
  }

  /**
   * One capture attempt (capture_territory, docs/world.md). A change of owner writes
   * `evt.world.territory.captured.v1` in the same transaction.
   */
  async capture(
    request: { territoryId: string; factionId: string; playerId: string; points: number },
    serverId: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<CaptureResultView> {
    const { result } = await mapProcedureErrors(() =>
      runIdempotentPrisma(this.prisma, claim, async (tx) => {
        const now = this.clock.now();
        const view = await this.repository.capture(
          tx,
          request.territoryId,
          request.factionId,
          request.points,
          now,
          { playerId: request.playerId, serverId },
        );
        if (view.captured) {
          const event: TerritoryCapturedEvent = {
            territoryId: view.id,
            factionId: request.factionId,
            previousOwnerFactionId: view.previousOwnerFactionId,
            capturedAt: now.toISOString(),
          };
          await enqueueEventPrisma(tx, TerritoryEvents.captured, event);
        }
        return view;
      }),
    );
    return result;
  }

  /**
   * The `territories.resources` tick: credits the hour that ended at the tick's hour to the owner of
   * each territory at the tick. Running it again for the same hour credits nothing.
   */
  async creditResources(now: Date): Promise<TerritoryResourcesCreditView> {
    const credited = await prismaTransaction(this.prisma, (tx) => this.repository.creditResources(tx, now));
    const hourEnd = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    return { hour: new Date(hourEnd - HOUR_MS).toISOString(), credited };
  }
}
