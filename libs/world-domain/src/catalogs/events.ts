import type { EventTemplate } from './schema';

/** World events the `event_spawn` queue creates; rewards name item templates of the item catalog. */
export const EVENT_TEMPLATES: EventTemplate[] = [
  {
    id: 'airdrop',
    durationMinutes: { min: 10, max: 20 },
    maxParticipants: 50,
    spawnBiomes: ['grassland', 'desert', 'beach'],
    rewards: [
      { itemTemplateId: 'rifle_ak', min: 1, max: 1, weight: 1 },
      { itemTemplateId: 'ammo_762', min: 30, max: 90, weight: 5 },
      { itemTemplateId: 'medkit', min: 1, max: 3, weight: 4 },
    ],
  },
  {
    id: 'convoy',
    durationMinutes: { min: 20, max: 40 },
    maxParticipants: 100,
    spawnBiomes: ['grassland', 'desert', 'forest'],
    rewards: [
      { itemTemplateId: 'high_quality_metal', min: 20, max: 60, weight: 3 },
      { itemTemplateId: 'explosive_charge', min: 1, max: 2, weight: 1 },
      { itemTemplateId: 'scrap', min: 100, max: 300, weight: 6 },
    ],
  },
  {
    id: 'radiation_storm',
    durationMinutes: { min: 5, max: 15 },
    maxParticipants: 200,
    spawnBiomes: ['grassland', 'forest', 'desert', 'mountain', 'snow'],
    rewards: [{ itemTemplateId: 'anti_rad_pills', min: 1, max: 5, weight: 1 }],
  },
  {
    id: 'supply_helicopter',
    durationMinutes: { min: 15, max: 30 },
    maxParticipants: 80,
    spawnBiomes: ['mountain', 'snow', 'grassland'],
    rewards: [
      { itemTemplateId: 'rifle_bolt', min: 1, max: 1, weight: 1 },
      { itemTemplateId: 'metal_fragments', min: 200, max: 500, weight: 4 },
    ],
  },
];
