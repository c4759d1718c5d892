import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { FactionsOps, type RequestOf } from '@trustno1/contracts';
import { RaidAlertsService } from './raid-alerts.service';

/** Internal (admin, NATS only): the worker's raid_alerts job. */
@Controller()
export class RaidAlertsController {
  constructor(private readonly alerts: RaidAlertsService) {}

  @Handle(FactionsOps.deliverRaidAlert)
  deliver(request: RequestOf<typeof FactionsOps.deliverRaidAlert>) {
    return this.alerts.deliver(request.deliveryId, request.finalAttempt);
  }
}
