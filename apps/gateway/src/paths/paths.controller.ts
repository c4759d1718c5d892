import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  pathJobParams,
  PathSubjects,
  requestPathBody,
  type PathJobView,
  type Principal,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal } from '../auth/request-params';
import { ZodPipe } from '../validation/zod.pipe';

/** AI pathfinding (SPEC §7 "World"): queued A* over terrain and structures, read by job id. */
@ApiTags('world')
@ApiSecurity('server')
@Controller('v1/paths')
export class PathsController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(202)
  @Access('server')
  @ApiBody({ schema: z.toJSONSchema(requestPathBody, { io: 'input' }) as object })
  @ApiResponse({ status: 202, description: '`{jobId}`; the same request repeated finds the same job' })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED: a coordinate, or `to` farther than 512 units',
  })
  request(
    @Body(new ZodPipe(requestPathBody)) body: z.infer<typeof requestPathBody>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ jobId: string }> {
    return this.bus.request(PathSubjects.request, body, { principal });
  }

  @Get(':jobId')
  @Access('server')
  @ApiParam({ name: 'jobId', description: '`path.` and 32 hex digits' })
  @ApiResponse({
    status: 200,
    description:
      '`{jobId, status: queued|running|done|failed, path?: [{x, y, z}], length?, reason?}`; reason ' +
      '`unreachable` or `too_far` when no path exists inside the search window',
  })
  @ApiResponse({ status: 404, description: "NOT_FOUND: unknown, expired, or another server's job" })
  get(
    @Param(new ZodPipe(pathJobParams)) params: z.infer<typeof pathJobParams>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PathJobView> {
    return this.bus.request(PathSubjects.get, params, { principal });
  }
}
