import type { GatewayConfig } from '@trustno1/config';
import { OperationRoutesModule } from './operations/operations.module';

/** Every module of `/v1` routes: all of them are generated from the operations of libs/contracts. */
export const routeModules = (config: GatewayConfig) => [OperationRoutesModule.forRoot(config)];
