import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { PlatformSubjects, SERVICES } from '@trustno1/contracts';
import { HealthRegistry } from '@trustno1/observability';

/** The gateway is ready only when every service answers its health ping over NATS. */
@Injectable()
export class ServiceChecks implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    for (const service of SERVICES) {
      this.health.register({
        name: `service:${service}`,
        check: async () => {
          await this.bus.request(PlatformSubjects.healthPing(service), {}, { timeoutMs: 1_000 });
        },
      });
    }
  }
}
