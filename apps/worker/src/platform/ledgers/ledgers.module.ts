import { Module } from '@nestjs/common';
import { LedgersProcessor } from './ledgers.processor';
import { LedgersRepository } from './ledgers.repository';

@Module({ providers: [LedgersRepository, LedgersProcessor] })
export class LedgersModule {}
