import { Module } from '@nestjs/common';
import { PathsController } from './paths.controller';

/** HTTP routes of AI pathfinding; the controller forwards to the world service over NATS. */
@Module({ controllers: [PathsController] })
export class PathsRoutesModule {}
