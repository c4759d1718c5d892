import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  cupboardPlayerRequest,
  damageStructureRequest,
  parsePayload,
  placeStructureBody,
  repairStructureRequest,
  structureIdRequest,
  StructureSubjects,
  upkeepRequest,
  type DamageView,
  type StructureView,
  type UpkeepView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { referenceOf, requireServer } from '../common/principals';
import { StructuresService } from './structures.service';

/** Structure subjects for game servers; every handler validates, authorizes and calls one method. */
@Controller()
export class StructuresController {
  constructor(private readonly structures: StructuresService) {}

  @MessagePattern(StructureSubjects.place)
  place(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<StructureView> {
    const body = parsePayload(placeStructureBody, payload);
    const serverId = requireServer(meta.principal);
    return this.structures.place(serverId, body, idempotencyClaim(StructureSubjects.place, payload, meta));
  }

  @MessagePattern(StructureSubjects.get)
  get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<StructureView> {
    const { structureId } = parsePayload(structureIdRequest, payload);
    requireServer(meta.principal);
    return this.structures.get(structureId);
  }

  @MessagePattern(StructureSubjects.damage)
  damage(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<DamageView> {
    const req = parsePayload(damageStructureRequest, payload);
    requireServer(meta.principal);
    return this.structures.damage(
      req,
      referenceOf(meta.principal),
      idempotencyClaim(StructureSubjects.damage, payload, meta),
    );
  }

  @MessagePattern(StructureSubjects.repair)
  repair(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<StructureView> {
    const req = parsePayload(repairStructureRequest, payload);
    requireServer(meta.principal);
    return this.structures.repair(req, idempotencyClaim(StructureSubjects.repair, payload, meta));
  }

  @MessagePattern(StructureSubjects.upkeep)
  upkeep(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<UpkeepView> {
    const req = parsePayload(upkeepRequest, payload);
    requireServer(meta.principal);
    return this.structures.payUpkeep(req, idempotencyClaim(StructureSubjects.upkeep, payload, meta));
  }

  @MessagePattern(StructureSubjects.authorize)
  authorize(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<StructureView> {
    const req = parsePayload(cupboardPlayerRequest, payload);
    requireServer(meta.principal);
    return this.structures.setAuthorization(
      req,
      true,
      idempotencyClaim(StructureSubjects.authorize, payload, meta),
    );
  }

  @MessagePattern(StructureSubjects.deauthorize)
  deauthorize(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<StructureView> {
    const req = parsePayload(cupboardPlayerRequest, payload);
    requireServer(meta.principal);
    return this.structures.setAuthorization(
      req,
      false,
      idempotencyClaim(StructureSubjects.deauthorize, payload, meta),
    );
  }
}
