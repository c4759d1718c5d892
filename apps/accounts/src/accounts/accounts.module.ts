import { Module, type DynamicModule } from '@nestjs/common';
import { DEVELOPMENT_TOTP_KEY, type AccountsConfig } from '../accounts-config';
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
import { TOTP_SEALER, TotpSealer } from './totp-seal';
import { TotpRepository } from './totp.repository';
import { TotpService } from './totp.service';

/** Accounts, logins, two-factor (secrets sealed with TOTP_ENCRYPTION_KEY), bans and premium. */
@Module({})
export class AccountsModule {
  static forRoot(config: Pick<AccountsConfig, 'TOTP_ENCRYPTION_KEY'>): DynamicModule {
    const sealer = new TotpSealer(config.TOTP_ENCRYPTION_KEY ?? DEVELOPMENT_TOTP_KEY);
    return {
      module: AccountsModule,
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
        { provide: TOTP_SEALER, useValue: sealer },
      ],
    };
  }
}
