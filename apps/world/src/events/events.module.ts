import { Module } from '@nestjs/common';
import { ChunksModule } from '../chunks/chunks.module';
import { EventsController } from './events.controller';
import { EVENTS_CONFIG, loadEventsConfig } from './events-config';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';

@Module({
  imports: [ChunksModule],
  controllers: [EventsController],
  providers: [
    EventsService,
    EventsRepository,
    { provide: EVENTS_CONFIG, useFactory: () => loadEventsConfig() },
  ],
})
export class EventsModule {}
