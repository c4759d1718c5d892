import { Module, type DynamicModule } from '@nestjs/common';
import type { GatewayConfig } from '@trustno1/config';
import { InfraModule } from '@trustno1/host';
import { ServiceChecks } from './health/service-checks';

/** The HTTP edge: infrastructure, readiness of every service, and (with each domain) its routes. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        InfraModule.forRoot({ app: 'gateway', config, poolSize: 2, requestTimeoutMs: config.SERVICE_TIMEOUT_MS }),
      ],
      providers: [ServiceChecks],
    };
  }
}
