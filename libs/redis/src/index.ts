export * from './keys';
export * from './client';
export * from './redis.module';
