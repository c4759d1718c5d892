export * from './catalog';
export * from './grid';
export * from './errors';
export * from './loot';
export * from './invariants';
