export * from './pool';
export * from './transaction';
export * from './idempotency';
export * from './prisma.service';
export * from './db.module';
export * from './migrate/migrator';
export * from './unavailable';
export * from './migrate/drift';
