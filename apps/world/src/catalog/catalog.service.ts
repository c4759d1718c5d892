import { Injectable } from '@nestjs/common';
import type { StructureCatalogEntryView, VehicleCatalogEntryView } from '@trustno1/contracts';
import { WORLD_CATALOGS } from '@trustno1/world-domain';

/** The catalogs are validated at import and never change while the process runs: built once. */
@Injectable()
export class CatalogService {
  private readonly structureViews: StructureCatalogEntryView[] = WORLD_CATALOGS.structures.map((s) => ({
    id: s.id,
    tier: s.tier,
    maxHealth: s.maxHealth,
    decayPerHour: s.decayPerHour,
    upkeep: s.upkeep.map((u) => ({ itemTemplateId: u.itemTemplateId, amount: u.amount })),
    repair: s.repair.map((u) => ({ itemTemplateId: u.itemTemplateId, amount: u.amount })),
  }));

  private readonly vehicleViews: VehicleCatalogEntryView[] = WORLD_CATALOGS.vehicles.map((v) => ({
    id: v.id,
    fuelMax: v.fuelMax,
    maxHealth: v.maxHealth,
    inventory: { gridWidth: v.inventory.gridWidth, gridHeight: v.inventory.gridHeight },
  }));

  structures(): StructureCatalogEntryView[] {
    return this.structureViews;
  }

  vehicles(): VehicleCatalogEntryView[] {
    return this.vehicleViews;
  }
}
