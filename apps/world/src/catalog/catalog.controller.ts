import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { WorldOps } from '@trustno1/contracts';
import { CatalogService } from './catalog.service';

@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Handle(WorldOps.structureCatalog)
  structures() {
    return this.catalog.structures();
  }

  @Handle(WorldOps.vehicleCatalog)
  vehicles() {
    return this.catalog.vehicles();
  }
}
