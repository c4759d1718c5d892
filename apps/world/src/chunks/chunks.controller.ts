import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import { chunkRequest, parsePayload, WorldSubjects, type ChunkView } from '@trustno1/contracts';
import { requireServer } from '../common/principals';
import { ChunksService } from './chunks.service';

@Controller()
export class ChunksController {
  constructor(private readonly chunks: ChunksService) {}

  /** A read with bookkeeping (last_loaded, the Redis key): repeating it is harmless. */
  @MessagePattern(WorldSubjects.loadChunk)
  load(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ChunkView> {
    const { x, z } = parsePayload(chunkRequest, payload);
    requireServer(meta.principal);
    return this.chunks.load(x, z);
  }
}
