import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsSubjects, authenticateServerRequest, parsePayload, type AuthenticatedServer } from '@trustno1/contracts';
import { ServersService } from './servers.service';

@Controller()
export class ServersController {
  constructor(private readonly servers: ServersService) {}

  /** Used by the gateway on every server request. */
  @MessagePattern(AccountsSubjects.authenticateServer)
  authenticate(@Payload() payload: unknown): Promise<AuthenticatedServer> {
    return this.servers.authenticate(parsePayload(authenticateServerRequest, payload).apiKey);
  }
}
