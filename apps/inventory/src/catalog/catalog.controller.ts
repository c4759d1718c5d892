import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { InventoryOps } from '@trustno1/contracts';
import { CatalogService } from './catalog.service';

@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Handle(InventoryOps.listCatalog)
  list() {
    return this.catalog.list();
  }
}
