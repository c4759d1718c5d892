import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { ServersService } from './servers.service';

const { authenticateServer, registerServer, revokeServer, heartbeat, listServers } = AccountsOps;

@Controller()
export class ServersController {
  constructor(private readonly servers: ServersService) {}

  /** Used by the gateway on every server request, and by every service for direct NATS callers. */
  @Handle(authenticateServer)
  authenticate(request: RequestOf<typeof authenticateServer>) {
    return this.servers.authenticate(request.apiKey);
  }

  @Handle(registerServer)
  register(request: RequestOf<typeof registerServer>, call: Call<typeof registerServer>) {
    return this.servers.register(request, call.idempotency);
  }

  @Handle(revokeServer)
  async revoke(request: RequestOf<typeof revokeServer>) {
    await this.servers.revoke(request.id);
    return null;
  }

  /** The server is the principal: it can only ever report its own status. */
  @Handle(heartbeat)
  async heartbeat(request: RequestOf<typeof heartbeat>, call: Call<typeof heartbeat>) {
    await this.servers.heartbeat(call.principal.serverId, request);
    return null;
  }

  @Handle(listServers)
  list(request: RequestOf<typeof listServers>) {
    return this.servers.listLive(request.region);
  }
}
