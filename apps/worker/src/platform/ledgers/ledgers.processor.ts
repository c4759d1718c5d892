import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { AppMetrics } from '@trustno1/observability';
import { ProcessorRegistry } from '@trustno1/queues';
import { LedgersRepository, type LedgerCheck } from './ledgers.repository';

/**
 * `ledgers.verify`, nightly: replays the item ledger and the wallet ledger against
 * the tables (conservation: no item or coin appears or vanishes without its row). The count of
 * disagreeing (inventory, template) pairs and wallets goes to `tn1_ledger_mismatches{ledger}`,
 * which the TrustNo1LedgerMismatch alert watches; the first mismatch is logged at error.
 */
@Injectable()
export class LedgersProcessor implements OnModuleInit {
  private readonly logger = new Logger('ledgers');
  private readonly mismatches: Gauge<'ledger'>;

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly repository: LedgersRepository,
    metrics: AppMetrics,
  ) {
    this.mismatches = new Gauge({
      name: 'tn1_ledger_mismatches',
      help: 'Disagreements between a ledger replayed and its table at the last ledgers.verify run',
      labelNames: ['ledger'],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.registry.registerSchedule('ledgers.verify', () => this.run(), LedgersProcessor.name);
  }

  async run(): Promise<{ items: LedgerCheck; wallets: LedgerCheck }> {
    const items = await this.repository.items();
    const wallets = await this.repository.wallets();
    for (const [ledger, check] of [
      ['items', items],
      ['wallets', wallets],
    ] as const) {
      this.mismatches.set({ ledger }, check.mismatches);
      if (check.mismatches > 0) {
        this.logger.error(
          { ledger, mismatches: check.mismatches, first: check.firstMismatch },
          'ledger does not match its table',
        );
      }
    }
    return { items, wallets };
  }
}
