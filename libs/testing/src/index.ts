export * from './infra';
export * from './database';
export * from './namespaces';
export * from './apps';
export * from './factories';
export * from './players';
export * from './cluster';
export * from './clock';
