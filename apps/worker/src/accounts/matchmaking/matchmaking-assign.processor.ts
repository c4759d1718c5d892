import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { AccountsOps, type AssignView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/** Shorter than the 2 s tick, so a stuck call never piles runs up behind it. */
const ASSIGN_TIMEOUT_MS = 5_000;

/**
 * `matchmaking.assign` (every 2 s): asks the accounts service to place queued tickets on live
 * servers. The service holds a Redis lease, so overlapping runs assign nothing twice.
 */
@Injectable()
export class MatchmakingAssignProcessor implements OnModuleInit {
  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule('matchmaking.assign', () => this.run(), MatchmakingAssignProcessor.name);
  }

  run(): Promise<AssignView> {
    return this.bus.call(
      AccountsOps.assignTickets,
      {},
      { principal: { kind: 'admin' }, timeoutMs: ASSIGN_TIMEOUT_MS },
    );
  }
}
