import { Module } from '@nestjs/common';
import { ChunksController } from './chunks.controller';
import { ChunksRepository } from './chunks.repository';
import { ChunksService } from './chunks.service';

@Module({ controllers: [ChunksController], providers: [ChunksService, ChunksRepository] })
export class ChunksModule {}
