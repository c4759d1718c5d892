import { Module } from '@nestjs/common';
import { SessionsController } from './sessions.controller';
import { SessionStore } from './session.store';

@Module({ controllers: [SessionsController], providers: [SessionStore], exports: [SessionStore] })
export class SessionsModule {}
