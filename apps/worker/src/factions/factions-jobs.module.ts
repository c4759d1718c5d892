import { Module } from '@nestjs/common';
import { RaidAlertsProcessor } from './raid-alerts.processor';

/**
 * The factions domain's jobs, beside each other in the worker: a processor is an @Injectable that
 * registers in onModuleInit (`registry.registerQueue(queue, fn, Owner.name)` or
 * `registry.registerSchedule(name, fn, Owner.name)`) and calls the factions service over NATS, which
 * owns the logic and the tables. Add it to the providers below; the worker refuses to boot when a
 * served queue or an enabled schedule has no processor or two.
 */
@Module({ providers: [RaidAlertsProcessor] })
export class FactionsJobsModule {}
