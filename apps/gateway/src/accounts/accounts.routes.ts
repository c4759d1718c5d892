import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AdminAccountsController } from './admin-accounts.controller';
import { SessionsController } from './sessions.controller';

/** HTTP routes of accounts (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [AccountsController, SessionsController, AdminAccountsController] })
export class AccountsRoutesModule {}
