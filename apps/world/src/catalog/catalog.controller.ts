import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  catalogRequest,
  parsePayload,
  WorldSubjects,
  type StructureCatalogEntryView,
  type VehicleCatalogEntryView,
} from '@trustno1/contracts';
import { requireServer } from '../common/principals';
import { CatalogService } from './catalog.service';

@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @MessagePattern(WorldSubjects.structureCatalog)
  structures(@Payload() payload: unknown, @Meta() meta: RequestMeta): StructureCatalogEntryView[] {
    parsePayload(catalogRequest, payload ?? {});
    requireServer(meta.principal);
    return this.catalog.structures();
  }

  @MessagePattern(WorldSubjects.vehicleCatalog)
  vehicles(@Payload() payload: unknown, @Meta() meta: RequestMeta): VehicleCatalogEntryView[] {
    parsePayload(catalogRequest, payload ?? {});
    requireServer(meta.principal);
    return this.catalog.vehicles();
  }
}
