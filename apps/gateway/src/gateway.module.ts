import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { GatewayConfig } from '@trustno1/config';
import { InfraModule } from '@trustno1/host';
import { AuthGuard } from './auth/auth.guard';
import { ADMIN_API_KEY, PrincipalResolver } from './auth/principal.resolver';
import { ServiceChecks } from './health/service-checks';
import { FAILED_AUTH_LIMIT, FailedAuthLimiter } from './rate-limit/failed-auth.limiter';
import { RATE_LIMITS, RateLimitGuard, type RateLimits } from './rate-limit/rate-limit.guard';
import { routeModules } from './routes';

/** The HTTP edge: infrastructure, authentication, rate limits, readiness, and each domain's routes. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const limits: RateLimits = {
      anonymous: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      player: config.RATE_LIMIT_PLAYER_PER_MINUTE,
      server: config.RATE_LIMIT_SERVER_PER_MINUTE,
    };
    return {
      module: GatewayModule,
      imports: [
        InfraModule.forRoot({
          app: 'gateway',
          config,
          poolSize: 2,
          requestTimeoutMs: config.SERVICE_TIMEOUT_MS,
        }),
        ...routeModules(config),
      ],
      providers: [
        ServiceChecks,
        PrincipalResolver,
        { provide: ADMIN_API_KEY, useValue: config.ADMIN_API_KEY },
        { provide: RATE_LIMITS, useValue: limits },
        { provide: FAILED_AUTH_LIMIT, useValue: config.RATE_LIMIT_FAILED_AUTH_PER_MINUTE },
        FailedAuthLimiter,
        // Order matters: the principal first, then its rate limit.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
