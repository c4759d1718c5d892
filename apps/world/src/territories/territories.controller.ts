import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AppError,
  captureTerritoryRequest,
  createTerritoryBody,
  creditTerritoryResourcesRequest,
  ErrorCode,
  listTerritoriesRequest,
  parsePayload,
  TerritorySubjects,
  type CaptureResultView,
  type Principal,
  type TerritoryResourcesCreditView,
  type TerritoryView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { requireAdmin, requireServer } from '../common/principals';
import { TerritoriesService } from './territories.service';

/** Game servers read territories and report captures; operators (admin) define them. */
function requireServerOrAdmin(principal: Principal): void {
  if (principal.kind === 'server' || principal.kind === 'admin') return;
  if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only game servers and operators may read territories');
}

@Controller()
export class TerritoriesController {
  constructor(private readonly territories: TerritoriesService) {}

  @MessagePattern(TerritorySubjects.list)
  list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TerritoryView[]> {
    parsePayload(listTerritoriesRequest, payload ?? {});
    requireServerOrAdmin(meta.principal);
    return this.territories.list();
  }

  @MessagePattern(TerritorySubjects.create)
  create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TerritoryView> {
    const body = parsePayload(createTerritoryBody, payload);
    requireAdmin(meta.principal);
    return this.territories.create(body, idempotencyClaim(TerritorySubjects.create, payload, meta));
  }

  @MessagePattern(TerritorySubjects.capture)
  capture(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CaptureResultView> {
    const request = parsePayload(captureTerritoryRequest, payload);
    requireServer(meta.principal);
    return this.territories.capture(request, idempotencyClaim(TerritorySubjects.capture, payload, meta));
  }

  /** The `territories.resources` schedule's tick (worker, admin principal). */
  @MessagePattern(TerritorySubjects.creditResources)
  credit(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TerritoryResourcesCreditView> {
    const { now } = parsePayload(creditTerritoryResourcesRequest, payload);
    requireAdmin(meta.principal);
    return this.territories.creditResources(new Date(now));
  }
}
