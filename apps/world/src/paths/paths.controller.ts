import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { PathsService } from './paths.service';

const { requestPath, getPath, pathContext } = WorldOps;

/** Game servers request paths and read them by job id; the worker asks for terrain (admin). */
@Controller()
export class PathsController {
  constructor(private readonly paths: PathsService) {}

  @Handle(requestPath)
  request(request: RequestOf<typeof requestPath>, call: Call<typeof requestPath>) {
    return this.paths.request(call.principal.serverId, request.from, request.to, call.idempotency);
  }

  @Handle(getPath)
  get(request: RequestOf<typeof getPath>, call: Call<typeof getPath>) {
    return this.paths.get(call.principal.serverId, request.jobId);
  }

  @Handle(pathContext)
  context(request: RequestOf<typeof pathContext>) {
    return this.paths.context(request);
  }
}
