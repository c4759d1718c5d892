import { Module } from '@nestjs/common';
import { RaidsModule } from './raids/raids.module';
import { StatusModule } from './status/status.module';

/** The combat service: one module per feature folder. */
@Module({ imports: [StatusModule, RaidsModule] })
export class CombatModule {}
