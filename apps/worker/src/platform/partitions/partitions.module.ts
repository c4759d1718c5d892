import { Module } from '@nestjs/common';
import { PartitionsProcessor } from './partitions.processor';
import { PartitionsRepository } from './partitions.repository';

@Module({ providers: [PartitionsRepository, PartitionsProcessor] })
export class PartitionsModule {}
