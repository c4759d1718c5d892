import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  decayChunkRequest,
  decayChunksRequest,
  parsePayload,
  StructureSubjects,
  type DecayChunksView,
  type DecayChunkView,
} from '@trustno1/contracts';
import { requireAdmin } from '../common/principals';
import { DecayService } from './decay.service';

/** Internal decay subjects, called by the worker's structure_decay queue and decay scan. */
@Controller()
export class DecayController {
  constructor(private readonly decay: DecayService) {}

  /** Idempotent by construction: the same tick applied again changes nothing. */
  @MessagePattern(StructureSubjects.decayChunk)
  decayChunk(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<DecayChunkView> {
    const { chunkX, chunkZ, tick } = parsePayload(decayChunkRequest, payload);
    requireAdmin(meta.principal);
    return this.decay.decayChunk(chunkX, chunkZ, tick);
  }

  @MessagePattern(StructureSubjects.decayChunks)
  decayChunks(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<DecayChunksView> {
    const { tick } = parsePayload(decayChunksRequest, payload);
    requireAdmin(meta.principal);
    return this.decay.decayChunks(tick);
  }
}
