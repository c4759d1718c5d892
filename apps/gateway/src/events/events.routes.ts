import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';

/** HTTP routes of world events; the controller forwards to the world service over NATS. */
@Module({ controllers: [EventsController] })
export class EventsRoutesModule {}
