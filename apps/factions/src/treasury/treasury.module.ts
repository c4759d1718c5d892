import { Module } from '@nestjs/common';
import { TreasuryController } from './treasury.controller';
import { TreasuryRepository } from './treasury.repository';
import { TreasuryService } from './treasury.service';

/** The treasury and its ledger (issue 14, rule 3). */
@Module({ controllers: [TreasuryController], providers: [TreasuryService, TreasuryRepository] })
export class TreasuryModule {}
