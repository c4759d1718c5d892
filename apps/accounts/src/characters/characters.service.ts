import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { enqueueEventPrisma } from '@trustno1/bus';
import {
  AccountsEvents,
  AppError,
  ErrorCode,
  type CharacterCreatedEvent,
  type CharacterView,
  type Position,
} from '@trustno1/contracts';
import { PrismaClient, runIdempotentPrisma, type IdempotencyClaim } from '@trustno1/db';
import {
  chunkOf,
  fullHealth,
  initialStats,
  MAX_CHARACTERS_PER_ACCOUNT,
  PLAYER_INVENTORY,
  spawnPointFor,
  SPAWN_ROTATION,
} from './character.rules';
import { CharactersRepository, type NewCharacter } from './characters.repository';

/** Injection token of the spawn points (SPAWN_POINTS or the defaults). */
export const SPAWN_POINTS = Symbol('SPAWN_POINTS');

@Injectable()
export class CharactersService {
  constructor(
    private readonly prisma: PrismaClient,
    @Inject(SPAWN_POINTS) private readonly spawnPoints: readonly Position[],
    private readonly repository: CharactersRepository,
  ) {}

  /**
   * Creates a character and everything it needs (stats, wallets, inventory) plus its outbox event,
   * all in one transaction: a crash leaves either all of it or nothing. With an idempotency claim
   * the result is stored in the same transaction, so a retry gets the same character back.
   */
  async create(accountId: string, name: string, claim: IdempotencyClaim | undefined): Promise<CharacterView> {
    const { result } = await runIdempotentPrisma(this.prisma, claim, async (tx) => {
      if (!(await this.repository.lockAccount(tx, accountId))) {
        throw new AppError(ErrorCode.NOT_FOUND, 'Account not found');
      }
      const draft = this.draft(accountId, name);
      const outcome = await this.repository.insert(tx, draft);
      switch (outcome.kind) {
        case 'limit':
          throw new AppError(
            ErrorCode.LIMIT_REACHED,
            `An account may have at most ${MAX_CHARACTERS_PER_ACCOUNT} characters`,
            {
              limit: MAX_CHARACTERS_PER_ACCOUNT,
            },
          );
        case 'name_taken':
          throw new AppError(ErrorCode.NAME_TAKEN, 'This character name is taken', { field: 'name' });
        case 'created': {
          const event: CharacterCreatedEvent = {
            playerId: outcome.character.id,
            accountId,
            characterName: outcome.character.characterName,
            inventoryId: draft.inventoryId,
            createdAt: outcome.character.createdAt,
          };
          await enqueueEventPrisma(tx, AccountsEvents.characterCreated, event);
          return outcome.character;
        }
      }
    });
    return result;
  }

  list(accountId: string): Promise<CharacterView[]> {
    return this.repository.listByAccount(accountId);
  }

  private draft(accountId: string, name: string): NewCharacter {
    const id = randomUUID();
    const position = spawnPointFor(id, this.spawnPoints);
    return {
      id,
      accountId,
      name,
      position,
      rotation: SPAWN_ROTATION,
      chunkX: chunkOf(position.x),
      chunkZ: chunkOf(position.z),
      health: fullHealth(),
      stats: initialStats(),
      inventoryId: randomUUID(),
      inventory: PLAYER_INVENTORY,
      limit: MAX_CHARACTERS_PER_ACCOUNT,
    };
  }
}
