import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  AppError,
  ErrorCode,
  type CorpseCleanupView,
  type CorpseView,
  type createCorpseRequest,
  type Principal,
} from '@trustno1/contracts';
import { prismaTransaction, PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { CLOCK, INVENTORY_CONFIG, type Clock, type InventoryConfig } from '../inventory-config';
import { referenceOf } from '../access/ledger-reference';
import { mapProcedureErrors } from '../procedures/procedure-errors';
import { CorpsesRepository } from './corpses.repository';

type Server = Extract<Principal, { kind: 'server' }>;

/** Corpses removed per cleanup run; the schedule runs every minute, so a backlog drains quickly. */
const CLEANUP_BATCH = 500;

@Injectable()
export class CorpsesService {
  constructor(
    private readonly prisma: PrismaClient,
    @Inject(INVENTORY_CONFIG) private readonly config: InventoryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repository: CorpsesRepository,
  ) {}

  /**
   * A death outside combat (a fall, drowning): the character's items go to a new corpse at the
   * position. Only the server the character is joined to may declare it dead.
   */
  create(
    server: Server,
    req: z.infer<typeof createCorpseRequest>,
    claim: IdempotencyClaim | undefined,
  ): Promise<CorpseView> {
    return mapProcedureErrors(async () => {
      const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
        const joined = await this.repository.playerServer(tx, req.playerId);
        if (joined === undefined)
          throw new AppError(ErrorCode.NOT_FOUND, 'Character not found', { playerId: req.playerId });
        if (joined !== server.serverId)
          throw new AppError(ErrorCode.FORBIDDEN, 'The character is not joined to this server', {
            playerId: req.playerId,
          });
        const expiresAt = new Date(this.clock.now().getTime() + this.config.CORPSE_TTL_SECONDS * 1000);
        return this.repository.create(tx, req.playerId, req.position, referenceOf(server), expiresAt);
      });
      return result;
    });
  }

  /** Removes the corpses expired at `now` (the schedule's tick), their items through the ledger. */
  cleanup(now: Date, limit = CLEANUP_BATCH): Promise<CorpseCleanupView> {
    return mapProcedureErrors(() =>
      prismaTransaction(this.prisma, (tx) => this.repository.cleanup(tx, now, limit)),
    );
  }
}
