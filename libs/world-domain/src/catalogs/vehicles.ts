import type { VehicleTemplate } from './schema';

/** Vehicles that can spawn; fuel in litres (low-grade fuel items), inventory as a grid. */
export const VEHICLE_TEMPLATES: VehicleTemplate[] = [
  { id: 'motorbike', fuelMax: 40, maxHealth: 400, tires: 2, inventory: { gridWidth: 3, gridHeight: 2 } },
  { id: 'sedan', fuelMax: 80, maxHealth: 800, tires: 4, inventory: { gridWidth: 6, gridHeight: 4 } },
  { id: 'pickup_truck', fuelMax: 120, maxHealth: 1200, tires: 4, inventory: { gridWidth: 8, gridHeight: 6 } },
  { id: 'rowboat', fuelMax: 50, maxHealth: 300, tires: 0, inventory: { gridWidth: 4, gridHeight: 3 } },
  { id: 'minicopter', fuelMax: 100, maxHealth: 750, tires: 0, inventory: { gridWidth: 2, gridHeight: 2 } },
];
