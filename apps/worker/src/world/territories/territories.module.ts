import { Module } from '@nestjs/common';
import { TerritoriesResourcesProcessor } from './territories-resources.processor';

@Module({ providers: [TerritoriesResourcesProcessor] })
export class TerritoriesModule {}
