import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TOTP_SEALER, TotpSealer } from '../auth/totp-seal';
import { DEVELOPMENT_TOTP_KEY, type AccountsConfig } from './accounts-config';
import { CLOCK, systemClock } from './clock';

/** What every accounts feature shares: the clock and the sealer of two-factor secrets. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: Pick<AccountsConfig, 'TOTP_ENCRYPTION_KEY'>): DynamicModule {
    const sealer = new TotpSealer(config.TOTP_ENCRYPTION_KEY ?? DEVELOPMENT_TOTP_KEY);
    return {
      module: CommonModule,
      providers: [
        { provide: CLOCK, useValue: systemClock },
        { provide: TOTP_SEALER, useValue: sealer },
      ],
      exports: [CLOCK, TOTP_SEALER],
    };
  }
}
