import { Module } from '@nestjs/common';

/** HTTP routes of accounts (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [] })
export class AccountsRoutesModule {}
