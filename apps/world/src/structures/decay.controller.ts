import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { DecayService } from './decay.service';

const { decayChunk, decayChunks } = WorldOps;

/** Internal decay operations, called by the worker's structure_decay queue and decay scan. */
@Controller()
export class DecayController {
  constructor(private readonly decay: DecayService) {}

  /** Idempotent by construction: the same tick applied again changes nothing. */
  @Handle(decayChunk)
  decayChunk({ chunkX, chunkZ, tick }: RequestOf<typeof decayChunk>) {
    return this.decay.decayChunk(chunkX, chunkZ, tick);
  }

  @Handle(decayChunks)
  decayChunks(request: RequestOf<typeof decayChunks>) {
    return this.decay.decayChunks(request.tick);
  }
}
