import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { ChunksService } from './chunks.service';

const { loadChunk } = WorldOps;

@Controller()
export class ChunksController {
  constructor(private readonly chunks: ChunksService) {}

  /** A read with bookkeeping (last_loaded, the Redis key): repeating it is harmless. */
  @Handle(loadChunk)
  load({ x, z }: RequestOf<typeof loadChunk>) {
    return this.chunks.load(x, z);
  }
}
