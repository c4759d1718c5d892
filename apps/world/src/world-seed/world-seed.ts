/** Injection token of the world seed (uint32, from WORLD_SEED through seedFrom). */
export const WORLD_SEED = Symbol('WORLD_SEED');
