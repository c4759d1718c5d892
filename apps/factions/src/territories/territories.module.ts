import { Module } from '@nestjs/common';
import { TerritoryCaptureConsumer } from './territory-capture.consumer';
import { TerritoryIncomeConsumer } from './territory-income.consumer';

/** Territories (issue 14, rule 4): reputation moves with world's captures; hourly income. */
@Module({ providers: [TerritoryCaptureConsumer, TerritoryIncomeConsumer] })
export class TerritoriesModule {}
