import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { systemClock } from '../common/clock';
import { SessionStore } from '../sessions/session.store';

/** A player of an end-to-end test: its account and the headers of its session. */
export interface TestPlayer {
  accountId: string;
  token: string;
  headers: Record<string, string>;
}

/**
 * Players for end-to-end tests. They register and log in through the gateway when
 * `POST /v1/accounts` and `POST /v1/sessions` exist; until then the account comes from `createAccount` (a test factory)
 * and the session from the real SessionStore (the same Redis record login writes), so the
 * gateway still authenticates them through `accounts.session.resolve.v1`.
 */
export function e2ePlayers(gatewayUrl: string, redis: Redis, createAccount: () => Promise<{ id: string }>) {
  let viaLogin: boolean | undefined;

  const bearer = (accountId: string, token: string): TestPlayer => ({
    accountId,
    token,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });

  async function register(): Promise<TestPlayer | null> {
    const username = `p_${randomBytes(6).toString('hex')}`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const json = { 'content-type': 'application/json' };
    const created = await fetch(`${gatewayUrl}/v1/accounts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, email: `${username}@example.test`, password }),
    });
    if (created.status !== 201) return null;
    const { id } = (await created.json()) as { id: string };
    const session = await fetch(`${gatewayUrl}/v1/sessions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ login: username, password }),
    });
    if (session.status !== 201) return null;
    const { token } = (await session.json()) as { token: string };
    return bearer(id, token);
  }

  return {
    /** True once a player was made through real registration and login. */
    usesLogin: () => viaLogin === true,
    async player(): Promise<TestPlayer> {
      if (viaLogin !== false) {
        const player = await register();
        if (player) return ((viaLogin = true), player);
        // Once real login worked, a failure is a failure, not a reason to switch paths.
        if (viaLogin) throw new Error('registration or login through the gateway failed');
        viaLogin = false;
      }
      const account = await createAccount();
      const session = await new SessionStore(redis, systemClock).create(account.id);
      return bearer(account.id, session.token);
    },
  };
}
