import { Module } from '@nestjs/common';
import { RetentionProcessor } from './retention.processor';
import { RetentionRepository } from './retention.repository';

@Module({ providers: [RetentionRepository, RetentionProcessor] })
export class RetentionModule {}
