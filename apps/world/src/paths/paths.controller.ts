import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  getPathRequest,
  parsePayload,
  pathContextRequest,
  PathSubjects,
  requestPathRequest,
  type PathContextView,
  type PathJobView,
} from '@trustno1/contracts';
import { requireAdmin, requireServer } from '../common/principals';
import { PathsService } from './paths.service';

/** Game servers request paths and read them by job id; the worker asks for terrain (admin). */
@Controller()
export class PathsController {
  constructor(private readonly paths: PathsService) {}

  /** Not idempotency-keyed: the job id already is the request's hash, a repeat finds the same job. */
  @MessagePattern(PathSubjects.request)
  request(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ jobId: string }> {
    const { from, to } = parsePayload(requestPathRequest, payload);
    return this.paths.request(requireServer(meta.principal), from, to);
  }

  @MessagePattern(PathSubjects.get)
  get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<PathJobView> {
    const { jobId } = parsePayload(getPathRequest, payload);
    return this.paths.get(requireServer(meta.principal), jobId);
  }

  @MessagePattern(PathSubjects.context)
  context(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<PathContextView> {
    const box = parsePayload(pathContextRequest, payload);
    requireAdmin(meta.principal);
    return this.paths.context(box);
  }
}
