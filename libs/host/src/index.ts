export * from './checks';
export * from './infra.module';
export * from './service-host';
export * from './hybrid-error.filter';
export * from './queued-calls';
