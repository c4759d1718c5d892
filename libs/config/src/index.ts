export * from './config';
export * from './apps';
export * from './nats-credentials';
export * from './nats-connection';
