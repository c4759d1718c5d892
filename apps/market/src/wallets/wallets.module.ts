import { Module } from '@nestjs/common';
import { WalletsController } from './wallets.controller';
import { WalletsRepository } from './wallets.repository';
import { WalletsService } from './wallets.service';

@Module({ controllers: [WalletsController], providers: [WalletsService, WalletsRepository] })
export class WalletsModule {}
