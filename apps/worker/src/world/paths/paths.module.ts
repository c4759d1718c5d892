import { Module } from '@nestjs/common';
import { PathsProcessor } from './paths.processor';

@Module({ providers: [PathsProcessor] })
export class PathsModule {}
