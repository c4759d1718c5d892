import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { LoginService } from './login.service';

const { login, logout } = AccountsOps;

@Controller()
export class LoginController {
  constructor(private readonly login: LoginService) {}

  /** The credentials are the authentication. */
  @Handle(login)
  create(request: RequestOf<typeof login>) {
    return this.login.login(request);
  }

  /** Ends the caller's own session; the token is the bearer token of the request. */
  @Handle(logout)
  async revoke(request: RequestOf<typeof logout>, call: Call<typeof logout>) {
    await this.login.logout(call.principal.accountId, request.token);
    return null;
  }
}
