import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import {
  AppError,
  ErrorCode,
  type createInventoryBody,
  type InventorySummaryView,
  type InventoryView,
  type Principal,
} from '@trustno1/contracts';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import { AccessRepository } from '../access/access.repository';
import { InventoriesRepository } from './inventories.repository';

type CreateInventory = z.infer<typeof createInventoryBody>;

@Injectable()
export class InventoriesService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: InventoriesRepository,
    private readonly access: AccessRepository,
  ) {}

  /**
   * A server creates world containers freely; a player inventory only for a character joined to
   * it (the same rule as acting on one), so a server cannot plant items on someone else's player.
   */
  async create(
    server: Extract<Principal, { kind: 'server' }>,
    body: CreateInventory,
    claim: IdempotencyClaim | undefined,
  ): Promise<InventorySummaryView> {
    const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      if (body.ownerType === 'player') {
        const character = await this.repository.character(tx, body.ownerId);
        if (!character)
          throw new AppError(ErrorCode.NOT_FOUND, 'Character not found', { ownerId: body.ownerId });
        if (character.serverId !== server.serverId)
          throw new AppError(ErrorCode.FORBIDDEN, 'The character is not joined to this server', {
            ownerId: body.ownerId,
          });
      }
      return this.repository.insert(tx, {
        id: randomUUID(),
        ownerId: body.ownerId,
        ownerType: body.ownerType,
        gridWidth: body.gridWidth,
        gridHeight: body.gridHeight,
        maxWeight: body.maxWeight ?? null,
        // Player inventories travel with their character and count against no server (migration 20261125030000).
        serverId: body.ownerType === 'player' ? null : server.serverId,
      });
    });
    return result;
  }

  async get(principal: Principal, inventoryId: string): Promise<InventoryView> {
    await this.access.require(this.prisma, principal, [inventoryId]);
    const view = await this.repository.view(this.prisma, inventoryId);
    if (!view) throw new AppError(ErrorCode.NOT_FOUND, 'Inventory not found', { inventoryId });
    return view;
  }

  async getForPlayer(principal: Principal, playerId: string): Promise<InventoryView> {
    const inventoryId = await this.repository.playerInventoryId(this.prisma, playerId);
    if (!inventoryId)
      throw new AppError(ErrorCode.NOT_FOUND, 'Character or inventory not found', { playerId });
    return this.get(principal, inventoryId);
  }

  /**
   * Locks with a code or unlocks. A locked inventory is unlocked (or locked again) only with its
   * code: without it INVENTORY_LOCKED (423), reason CODE_REQUIRED, with another WRONG_CODE.
   */
  async setLock(
    server: Extract<Principal, { kind: 'server' }>,
    request: { inventoryId: string; locked: boolean; lockCode?: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<void> {
    await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      await this.access.require(tx, server, [request.inventoryId]);
      const code = request.lockCode ?? null;
      if (!(await this.repository.setLock(tx, request.inventoryId, request.locked, code))) {
        // The access check found it, so it is locked with another code (or none was given).
        throw new AppError(ErrorCode.INVENTORY_LOCKED, 'The inventory is locked with another code', {
          inventoryId: request.inventoryId,
          reason: code === null ? 'CODE_REQUIRED' : 'WRONG_CODE',
        });
      }
      return null;
    });
  }
}
