import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { SessionStore } from './session.store';

const { resolveSession } = AccountsOps;

@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionStore) {}

  /** Used by the gateway on every player request. */
  @Handle(resolveSession)
  resolve(request: RequestOf<typeof resolveSession>) {
    return this.sessions.authenticate(request.token);
  }
}
