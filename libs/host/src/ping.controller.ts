import { Controller, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PlatformSubjects, type HealthPingReply, type Service } from '@trustno1/contracts';

/** A controller answering `<service>.health.ping.v1`, which the gateway's readiness calls. */
export function pingController(service: Service): Type<unknown> {
  @Controller()
  class PingController {
    @MessagePattern(PlatformSubjects.healthPing(service))
    ping(): HealthPingReply {
      return { service, status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
    }
  }
  return PingController;
}
