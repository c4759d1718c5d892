import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  createSessionBody,
  parsePayload,
  revokeSessionRequest,
  type SessionView,
} from '@trustno1/contracts';
import { LoginService } from './login.service';
import { requirePlayer } from './principals';

@Controller()
export class LoginController {
  constructor(private readonly login: LoginService) {}

  /** Open to anyone: the credentials are the authentication. */
  @MessagePattern(AccountsSubjects.login)
  create(@Payload() payload: unknown): Promise<SessionView> {
    return this.login.login(parsePayload(createSessionBody, payload));
  }

  /** Ends the caller's own session; the token is the bearer token of the request. */
  @MessagePattern(AccountsSubjects.logout)
  async revoke(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<void> {
    const { token } = parsePayload(revokeSessionRequest, payload);
    await this.login.logout(requirePlayer(meta.principal), token);
  }
}
