export * from './config';
export * from './apps';
