import { OperationRoutesModule } from './operations/operations.module';

/** Every module of `/v1` routes: all of them are generated from the operations of libs/contracts. */
export const ROUTE_MODULES = [OperationRoutesModule];
