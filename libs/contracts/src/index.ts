export * from './errors';
export * from './validation';
export * from './platform';
export * from './accounts';
export * from './world';
export * from './inventory';
export * from './world-structures';
