import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode, type EnqueuedTicketView, type TicketView } from '@trustno1/contracts';
import type { IdempotencyClaim } from '@trustno1/db';
import { CLOCK, type Clock } from '../clock/clock';
import { MatchmakingCache } from './matchmaking.cache';
import { MatchmakingRepository } from './matchmaking.repository';

/** Players' tickets: a queued ticket per request, read back by its owner only. */
@Injectable()
export class MatchmakingService {
  constructor(
    private readonly repository: MatchmakingRepository,
    private readonly cache: MatchmakingCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Queues a ticket for one of the player's own characters. The ticket lives only in Redis; with
   * an Idempotency-Key the Redis write runs inside the transaction that stores the key, so it
   * commits only after the ticket exists and a retry replays the same ticket id. A Redis failure
   * rolls the key back (a retry creates the ticket); a commit lost after the write leaves one
   * extra ticket that expires unassigned or is assigned and never joined (its seat is freed 60 s
   * later).
   */
  async enqueue(
    accountId: string,
    region: string,
    characterId: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<EnqueuedTicketView> {
    const owner = await this.repository.characterOwner(characterId);
    if (owner === undefined) throw new AppError(ErrorCode.NOT_FOUND, 'No such character', { characterId });
    if (owner !== accountId)
      throw new AppError(ErrorCode.FORBIDDEN, 'This character belongs to another account');
    const outcome = await this.repository.idempotent(claim, async () => {
      const ticketId = randomUUID();
      await this.cache.createTicket({
        ticketId,
        characterId,
        accountId,
        region,
        status: 'queued',
        createdAt: this.clock.now().getTime(),
      });
      return { ticketId };
    });
    return outcome.result;
  }

  async get(accountId: string, ticketId: string): Promise<TicketView> {
    const ticket = await this.cache.readTicket(ticketId);
    if (!ticket) throw new AppError(ErrorCode.NOT_FOUND, 'No such ticket (or it expired)', { ticketId });
    if (ticket.accountId !== accountId)
      throw new AppError(ErrorCode.FORBIDDEN, 'This ticket belongs to another account');
    return ticket.serverId
      ? { ticketId, status: ticket.status, serverId: ticket.serverId }
      : { ticketId, status: ticket.status };
  }
}
