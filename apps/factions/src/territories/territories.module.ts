import { Module } from '@nestjs/common';
import { TerritoryCaptureConsumer } from './territory-capture.consumer';

/** Territories (issue 14, rule 4): reputation moves with world's captures. */
@Module({ providers: [TerritoryCaptureConsumer] })
export class TerritoriesModule {}
