import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { WorldOps, type VehicleDecayView } from '@trustno1/contracts';
import { ProcessorRegistry, type ScheduleRun } from '@trustno1/queues';

/** Batches of 500 vehicles, each a short transaction; a minute covers a large backlog. */
const DECAY_TIMEOUT_MS = 60_000;

/**
 * `vehicles.decay` (hourly): asks the world service, which owns `vehicles`, to decay abandoned
 * vehicles up to the schedule's tick. The tick, not the clock, is sent, so a retried or repeated
 * run of the same tick applies nothing twice.
 */
@Injectable()
export class VehiclesDecayProcessor implements OnModuleInit {
  private readonly logger = new Logger('vehicles-decay');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule('vehicles.decay', (run) => this.run(run), VehiclesDecayProcessor.name);
  }

  async run(run: Pick<ScheduleRun, 'tick'>): Promise<VehicleDecayView> {
    const result = await this.bus.call(
      WorldOps.decayVehicles,
      { now: run.tick.toISOString() },
      { principal: { kind: 'admin' }, timeoutMs: DECAY_TIMEOUT_MS },
    );
    if (result.decayed > 0) this.logger.log(result, 'vehicles decayed');
    return result;
  }
}
