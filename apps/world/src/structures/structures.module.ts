import { Module } from '@nestjs/common';
import { DecayController } from './decay.controller';
import { DecayService } from './decay.service';
import { loadStructuresConfig, STRUCTURES_CONFIG } from './structures-config';
import { StructuresController } from './structures.controller';
import { StructuresRepository } from './structures.repository';
import { StructuresService } from './structures.service';

/** Structures, tool cupboards and decay (issue 5). */
@Module({
  controllers: [StructuresController, DecayController],
  providers: [
    { provide: STRUCTURES_CONFIG, useFactory: () => loadStructuresConfig() },
    StructuresRepository,
    StructuresService,
    DecayService,
  ],
})
export class StructuresModule {}
