import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { AdminAccountsController } from './admin.controller';
import { BansService } from './bans.service';
import { LoginController } from './login.controller';
import { LoginService } from './login.service';
import { LoginLockout } from './lockout';
import { PasswordHasher } from './passwords';
import { TotpController } from './totp.controller';
import { TotpRepository } from './totp.repository';
import { TotpService } from './totp.service';

/** Accounts, logins and sessions, two-factor, bans and premium. */
@Module({
  imports: [SessionsModule],
  controllers: [AccountsController, LoginController, TotpController, AdminAccountsController],
  providers: [
    AccountsRepository,
    AccountsService,
    BansService,
    LoginLockout,
    LoginService,
    PasswordHasher,
    TotpRepository,
    TotpService,
  ],
})
export class AuthModule {}
