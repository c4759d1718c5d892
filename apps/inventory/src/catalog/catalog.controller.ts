import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  InventorySubjects,
  listCatalogRequest,
  parsePayload,
  type CatalogItemView,
} from '@trustno1/contracts';
import { requireServerOrPlayer } from '../common/principals';
import { CatalogService } from './catalog.service';

@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @MessagePattern(InventorySubjects.listCatalog)
  list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CatalogItemView[]> {
    parsePayload(listCatalogRequest, payload ?? {});
    requireServerOrPlayer(meta.principal);
    return this.catalog.list();
  }
}
