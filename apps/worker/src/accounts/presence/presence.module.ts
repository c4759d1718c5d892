import { Module } from '@nestjs/common';
import { PositionsFlushProcessor } from './positions-flush.processor';

@Module({ providers: [PositionsFlushProcessor] })
export class PresenceModule {}
