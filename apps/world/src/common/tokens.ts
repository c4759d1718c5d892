/** Injection token of the world seed (uint32, from WORLD_SEED through seedFrom). */
export const WORLD_SEED = Symbol('WORLD_SEED');

/** Injection token of the clock; tests of time rules replace it. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
