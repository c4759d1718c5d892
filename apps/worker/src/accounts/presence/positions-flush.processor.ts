import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { AccountsOps, type FlushView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/** A full flush (40 batches of 500) takes a second or two; under the 10 s tick so runs never pile up. */
const FLUSH_TIMEOUT_MS = 8_000;

/**
 * `positions.flush` (every 10 s): asks the accounts service, which owns `players`, to write the
 * hot Redis states to PostgreSQL and to take lingering players offline. Runs as the admin
 * principal because the operation is internal.
 */
@Injectable()
export class PositionsFlushProcessor implements OnModuleInit {
  private readonly logger = new Logger('positions-flush');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule('positions.flush', () => this.run(), PositionsFlushProcessor.name);
  }

  async run(): Promise<FlushView> {
    const result = await this.bus.call(
      AccountsOps.flushPositions,
      {},
      { principal: { kind: 'admin' }, timeoutMs: FLUSH_TIMEOUT_MS },
    );
    if (result.flushed > 0 || result.finalized > 0) this.logger.debug(result, 'positions flushed');
    return result;
  }
}
