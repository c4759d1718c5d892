import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisKeys, TTL } from '@trustno1/redis';

/** A player signed up through the gateway: its account, credentials and session headers. */
export interface SignedUpPlayer {
  accountId: string;
  username: string;
  password: string;
  token: string;
  headers: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Registers an account and logs it in through the gateway, as a player's client would. */
export async function signUp(gatewayUrl: string): Promise<SignedUpPlayer> {
  const username = `p_${randomBytes(6).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const created = await fetch(`${gatewayUrl}/v1/accounts`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ username, email: `${username}@example.test`, password }),
  });
  if (created.status !== 201)
    throw new Error(`registration failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const session = await fetch(`${gatewayUrl}/v1/sessions`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ login: username, password }),
  });
  if (session.status !== 201) throw new Error(`login failed: ${session.status} ${await session.text()}`);
  const { token } = (await session.json()) as { token: string };
  return {
    accountId: id,
    username,
    password,
    token,
    headers: { authorization: `Bearer ${token}`, ...JSON_TYPE },
  };
}

/** Registers a game server with the admin key; returns its id and the only copy of its key. */
export async function registerServer(
  gatewayUrl: string,
  adminKey: string,
  body: { name?: string; region?: string; maxPlayers?: number } = {},
): Promise<{ id: string; apiKey: string; headers: Record<string, string> }> {
  const response = await fetch(`${gatewayUrl}/v1/admin/servers`, {
    method: 'POST',
    headers: { 'x-admin-key': adminKey, ...JSON_TYPE },
    body: JSON.stringify({
      name: `srv-${randomBytes(3).toString('hex')}`,
      region: 'eu-west',
      maxPlayers: 100,
      ...body,
    }),
  });
  if (response.status !== 201)
    throw new Error(`server registration failed: ${response.status} ${await response.text()}`);
  const { id, apiKey } = (await response.json()) as { id: string; apiKey: string };
  return { id, apiKey, headers: { 'x-server-key': apiKey, ...JSON_TYPE } };
}

/**
 * A live login session for an account made by the factories (which has no password to log in
 * with), written as the accounts service's session store writes one: what a join asks for.
 * Returns the session hash; deleting its key ends it as expiry does.
 */
export async function liveSession(redis: Redis, accountId: string): Promise<string> {
  const sessionId = randomBytes(32).toString('hex');
  await redis
    .pipeline()
    .hset(RedisKeys.session(sessionId), { accountId, createdAt: new Date().toISOString() })
    .expire(RedisKeys.session(sessionId), TTL.session)
    .sadd(RedisKeys.sessionsActive(), sessionId)
    .sadd(RedisKeys.accountSessions(accountId), sessionId)
    .expire(RedisKeys.accountSessions(accountId), TTL.session)
    .exec();
  return sessionId;
}
