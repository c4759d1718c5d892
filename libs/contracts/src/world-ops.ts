import { WorldMapOps } from './world';
import { WorldEventOps } from './world-events';
import { PathOps } from './world-paths';
import { StructureOps } from './world-structures';
import { TerritoryOps } from './world-territories';
import { VehicleOps } from './world-vehicles';

/** Every operation the world service handles (SPEC §7 "World"), one definition each. */
export const WorldOps = {
  ...WorldMapOps,
  ...StructureOps,
  ...VehicleOps,
  ...TerritoryOps,
  ...WorldEventOps,
  ...PathOps,
} as const;
