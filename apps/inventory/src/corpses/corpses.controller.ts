import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AppError,
  cleanupCorpsesRequest,
  createCorpseRequest,
  ErrorCode,
  InventorySubjects,
  parsePayload,
  type CorpseCleanupView,
  type CorpseView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { requireServer } from '../common/principals';
import { CorpsesService } from './corpses.service';

@Controller()
export class CorpsesController {
  constructor(private readonly corpses: CorpsesService) {}

  @MessagePattern(InventorySubjects.createCorpse)
  create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CorpseView> {
    const request = parsePayload(createCorpseRequest, payload);
    const server = requireServer(meta.principal);
    return this.corpses.create(
      server,
      request,
      idempotencyClaim(InventorySubjects.createCorpse, payload, meta),
    );
  }

  /** Internal: the corpses.cleanup schedule of the worker. */
  @MessagePattern(InventorySubjects.cleanupCorpses)
  cleanup(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CorpseCleanupView> {
    if (meta.principal.kind !== 'admin') throw new AppError(ErrorCode.FORBIDDEN, 'Internal subject');
    const request = parsePayload(cleanupCorpsesRequest, payload);
    return this.corpses.cleanup(new Date(request.now), request.limit);
  }
}
