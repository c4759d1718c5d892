import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  AppError,
  chunkPlayersRequest,
  ErrorCode,
  flushPositionsRequest,
  parsePayload,
  playerPresenceRequest,
  updateStatesRequest,
  type ChunkPlayersView,
  type FlushView,
  type LeaveView,
  type PlayerStateView,
  type Principal,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { PresenceFlushService } from './presence-flush.service';
import { PresenceService } from './presence.service';

/** Game servers may call these subjects directly: the principal is checked here, not only at the gateway. */
function serverOf(principal: Principal): string {
  if (principal.kind === 'server') return principal.serverId;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'A game server key is required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only game servers manage presence');
}

@Controller()
export class PresenceController {
  constructor(
    private readonly presence: PresenceService,
    private readonly flush: PresenceFlushService,
  ) {}

  @MessagePattern(AccountsSubjects.join)
  join(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<PlayerStateView> {
    const { playerId } = parsePayload(playerPresenceRequest, payload);
    const serverId = serverOf(meta.principal);
    return this.presence.join(
      serverId,
      playerId,
      idempotencyClaim(AccountsSubjects.join, { playerId }, meta),
    );
  }

  @MessagePattern(AccountsSubjects.leave)
  leave(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<LeaveView> {
    const { playerId } = parsePayload(playerPresenceRequest, payload);
    const serverId = serverOf(meta.principal);
    return this.presence.leave(
      serverId,
      playerId,
      idempotencyClaim(AccountsSubjects.leave, { playerId }, meta),
    );
  }

  @MessagePattern(AccountsSubjects.updateStates)
  async updateStates(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const { states } = parsePayload(updateStatesRequest, payload);
    await this.presence.updateStates(serverOf(meta.principal), states);
  }

  @MessagePattern(AccountsSubjects.chunkPlayers)
  chunkPlayers(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ChunkPlayersView> {
    const { x, z } = parsePayload(chunkPlayersRequest, payload);
    return this.presence.chunkPlayers(serverOf(meta.principal), x, z);
  }

  /** Internal: the worker's `positions.flush` schedule calls it as admin. */
  @MessagePattern(AccountsSubjects.flushPositions)
  flushPositions(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<FlushView> {
    const { batchSize } = parsePayload(flushPositionsRequest, payload ?? {});
    if (meta.principal.kind !== 'admin') throw new AppError(ErrorCode.FORBIDDEN, 'Internal subject');
    return this.flush.run(batchSize);
  }
}
