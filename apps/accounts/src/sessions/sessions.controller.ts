import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountsSubjects,
  AppError,
  ErrorCode,
  parsePayload,
  resolveSessionRequest,
  type ResolvedSession,
} from '@trustno1/contracts';
import { SessionStore } from './session.store';

@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionStore) {}

  /** Used by the gateway on every player request. */
  @MessagePattern(AccountsSubjects.resolveSession)
  async resolve(@Payload() payload: unknown): Promise<ResolvedSession> {
    const { token } = parsePayload(resolveSessionRequest, payload);
    const session = await this.sessions.resolve(token);
    if (!session) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Session is invalid or expired');
    return session;
  }
}
