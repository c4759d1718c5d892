import { Module } from '@nestjs/common';
import { StatusModule } from './status/status.module';

/** The factions service: one module per feature folder. */
@Module({ imports: [StatusModule] })
export class FactionsModule {}
