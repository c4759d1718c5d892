import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  AppError,
  assignTicketsRequest,
  enqueueTicketRequest,
  ErrorCode,
  getTicketRequest,
  parsePayload,
  type AssignView,
  type EnqueuedTicketView,
  type Principal,
  type TicketView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { MatchmakingAssigner } from './matchmaking-assigner.service';
import { MatchmakingService } from './matchmaking.service';

function accountOf(principal: Principal): string {
  if (principal.kind === 'player') return principal.accountId;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'A player session is required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only players queue for matches');
}

@Controller()
export class MatchmakingController {
  constructor(
    private readonly matchmaking: MatchmakingService,
    private readonly assigner: MatchmakingAssigner,
  ) {}

  @MessagePattern(AccountsSubjects.enqueueTicket)
  enqueue(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<EnqueuedTicketView> {
    const body = parsePayload(enqueueTicketRequest, payload);
    const accountId = accountOf(meta.principal);
    const claim = idempotencyClaim(AccountsSubjects.enqueueTicket, body, meta);
    return this.matchmaking.enqueue(accountId, body.region, body.characterId, claim);
  }

  @MessagePattern(AccountsSubjects.getTicket)
  get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TicketView> {
    const { ticketId } = parsePayload(getTicketRequest, payload);
    return this.matchmaking.get(accountOf(meta.principal), ticketId);
  }

  /** Internal: the worker's `matchmaking.assign` schedule calls it as admin. */
  @MessagePattern(AccountsSubjects.assignTickets)
  assign(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<AssignView> {
    parsePayload(assignTicketsRequest, payload ?? {});
    if (meta.principal.kind !== 'admin') throw new AppError(ErrorCode.FORBIDDEN, 'Internal subject');
    return this.assigner.run();
  }
}
