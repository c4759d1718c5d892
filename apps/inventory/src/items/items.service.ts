import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  AppError,
  ErrorCode,
  type addItemRequest,
  type ConsumeItemView,
  type consumeItemRequest,
  type destroyItemRequest,
  type ItemView,
  type LedgerEntryView,
  type MoveItemView,
  type moveItemRequest,
  type Principal,
} from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  prismaStatement,
  PrismaClient,
  runIdempotentPrisma,
  type IdempotencyClaim,
  type PrismaDb,
} from '@trustno1/db';
import { AccessRepository } from '../access/access.repository';
import { referenceOf } from '../access/ledger-reference';
import { itemMovedMeanwhile, mapProcedureErrors } from '../procedures/procedure-errors';
import { ItemsRepository } from './items.repository';

type Server = Extract<Principal, { kind: 'server' }>;

/** The ledger reason of a move (the move body has none: moves are the one everyday operation). */
const MOVE_REASON = 'move';
const DESTROY_REASON = 'destroy';

@Injectable()
export class ItemsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: ItemsRepository,
    private readonly access: AccessRepository,
  ) {}

  /** add_item with the server's access checked first, in the same transaction. */
  add(
    server: Server,
    req: z.infer<typeof addItemRequest>,
    claim: IdempotencyClaim | undefined,
  ): Promise<ItemView> {
    if ((req.gridX === undefined) !== (req.gridY === undefined)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Invalid request: gridY', {
        fields: [
          {
            field: req.gridX === undefined ? 'gridX' : 'gridY',
            message: 'give both gridX and gridY or neither',
          },
        ],
      });
    }
    return this.run(claim, async (tx) => {
      await this.access.require(tx, server, [req.inventoryId]);
      return this.repository.add(tx, {
        inventoryId: req.inventoryId,
        templateId: req.templateId,
        quantity: req.quantity,
        gridX: req.gridX ?? null,
        gridY: req.gridY ?? null,
        durability: req.durability ?? null,
        attachments: req.attachments,
        customData: req.customData,
        reason: req.reason,
        reference: referenceOf(server),
      });
    });
  }

  /**
   * One database round trip (issue 9): inventory.move_item claims the idempotency key, locks,
   * checks this server's access to both inventories under the locks, moves and stores the
   * response. A stated `fromInventoryId` the item is no longer in is 409 CONFLICT (ITEM_MOVED).
   */
  move(
    server: Server,
    req: z.infer<typeof moveItemRequest>,
    claim: IdempotencyClaim | undefined,
  ): Promise<MoveItemView> {
    if (claim) checkIdempotencyKey(claim);
    return mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.move(this.prisma, {
          principal: server,
          claim,
          itemId: req.itemId,
          toInventoryId: req.toInventoryId,
          fromInventoryId: req.fromInventoryId ?? null,
          gridX: req.gridX,
          gridY: req.gridY,
          quantity: req.quantity ?? null,
          // The old single lockCode opens whichever end has no code of its own.
          fromLockCode: req.fromLockCode ?? req.lockCode ?? null,
          toLockCode: req.toLockCode ?? req.lockCode ?? null,
          reason: MOVE_REASON,
        }),
      ),
    );
  }

  /** One round trip, like the move: inventory.consume_item; more than the stack is INSUFFICIENT_QUANTITY. */
  consume(
    server: Server,
    req: z.infer<typeof consumeItemRequest>,
    claim: IdempotencyClaim | undefined,
  ): Promise<ConsumeItemView> {
    if (claim) checkIdempotencyKey(claim);
    return mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.consume(this.prisma, {
          principal: server,
          claim,
          itemId: req.itemId,
          fromInventoryId: req.fromInventoryId ?? null,
          quantity: req.quantity,
          reason: req.reason,
        }),
      ),
    );
  }

  /** destroy_item; its own ledger row tells which inventory it took from, checked before commit. */
  async destroy(
    server: Server,
    req: z.infer<typeof destroyItemRequest>,
    claim: IdempotencyClaim | undefined,
  ): Promise<void> {
    await this.run(claim, async (tx) => {
      const from = await this.repository.inventoryOf(tx, req.itemId);
      if (!from) throw new AppError(ErrorCode.NOT_FOUND, 'Item not found', { itemId: req.itemId });
      await this.access.require(tx, server, [from]);
      const takenFrom = await this.repository.destroy(
        tx,
        req.itemId,
        req.quantity ?? null,
        req.reason ?? DESTROY_REASON,
        referenceOf(server),
      );
      if (takenFrom !== from) throw itemMovedMeanwhile({ itemId: req.itemId });
      return null;
    });
  }

  /** The history is readable by whoever may act on the item's inventory (or its last one). */
  async history(server: Server, itemId: string): Promise<LedgerEntryView[]> {
    const inventoryId =
      (await this.repository.inventoryOf(this.prisma, itemId)) ??
      (await this.repository.lastLedgerInventory(this.prisma, itemId));
    if (!inventoryId) throw new AppError(ErrorCode.NOT_FOUND, 'Item not found', { itemId });
    await this.access.require(this.prisma, server, [inventoryId]);
    return this.repository.history(this.prisma, itemId);
  }

  private async run<T>(claim: IdempotencyClaim | undefined, work: (tx: PrismaDb) => Promise<T>): Promise<T> {
    return mapProcedureErrors(async () => (await runIdempotentPrisma(this.prisma, claim, work)).result);
  }
}
