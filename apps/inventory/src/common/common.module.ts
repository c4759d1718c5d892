import { Global, Module } from '@nestjs/common';
import { AccessRepository } from './access.repository';

@Global()
@Module({ providers: [AccessRepository], exports: [AccessRepository] })
export class CommonModule {}
