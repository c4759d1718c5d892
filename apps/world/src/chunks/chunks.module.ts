import { Module } from '@nestjs/common';
import { ChunkKeysService } from './chunk-keys.service';
import { ChunksController } from './chunks.controller';
import { ChunksRepository } from './chunks.repository';
import { ChunksService } from './chunks.service';

@Module({
  controllers: [ChunksController],
  providers: [ChunksService, ChunksRepository, ChunkKeysService],
  exports: [ChunkKeysService],
})
export class ChunksModule {}
