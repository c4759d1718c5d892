/**
 * Every Redis key of the seed's "Redis - Cache y Estado Temporal" section, built in one place.
 * The braces are Redis Cluster hash tags: all keys of one player share a slot, and so do the
 * four keys of one chunk (the tag is the first brace pair, the chunk's x).
 */
type Id = string;

const SECOND = 1;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** TTLs in seconds (the seed's "TTL y Expiración"); `null` means the key never expires. */
export const TTL = {
  playerState: 5 * MINUTE,
  playerCombat: 5 * MINUTE,
  playerBuffs: 5 * MINUTE,
  playerCooldowns: 5 * MINUTE,
  playerSession: 24 * HOUR,
  chunkInactive: 10 * MINUTE,
  session: 24 * HOUR,
  combatRecent: 1 * HOUR,
  /** Not in the seed: a heartbeat every 10 s keeps a server listed; three missed ones drop it. */
  serverStatus: 30 * SECOND,
  /** Not in the seed: failed logins are remembered as long as the lockout window. */
  loginFailures: 10 * MINUTE,
  /** Not in the seed: a game server key's authentication (or its revocation) is remembered 60 s. */
  serverKey: 1 * MINUTE,
  /** Not in the seed: an unassigned matchmaking ticket is dropped after 10 minutes. */
  matchmakingTicket: 10 * MINUTE,
  leaderboard: null,
  queue: null,
  market: null,
} as const;

/** The anti combat-log window (SPEC §4): a player stays in the world this long after combat. */
export const COMBAT_LINGER_SECONDS = 30;

function tag(value: string | number): string {
  const text = String(value);
  if (text.length === 0 || /[{}\s]/.test(text))
    throw new Error(`invalid Redis key part: ${JSON.stringify(text)}`);
  return `{${text}}`;
}

function part(value: string | number): string {
  const text = String(value);
  if (text.length === 0 || /[{}\s:]/.test(text))
    throw new Error(`invalid Redis key part: ${JSON.stringify(text)}`);
  return text;
}

function chunkCoord(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`chunk coordinate must be an integer, got ${value}`);
  return value;
}

export const LEADERBOARDS = ['kills:daily', 'kills:weekly', 'wealth', 'playtime', 'faction:power'] as const;
export type Leaderboard = (typeof LEADERBOARDS)[number];

export const PROCESSING_QUEUES = [
  'loot_generation',
  'structure_decay',
  'event_spawn',
  'ai_pathfinding',
  'raid_alerts',
] as const;
export type ProcessingQueue = (typeof PROCESSING_QUEUES)[number];

/** Key builders. Services never concatenate key strings themselves. */
export const RedisKeys = {
  playerState: (playerId: Id) => `player:${tag(playerId)}:state`,
  playerCombat: (playerId: Id) => `player:${tag(playerId)}:combat`,
  playerBuffs: (playerId: Id) => `player:${tag(playerId)}:buffs`,
  playerCooldowns: (playerId: Id) => `player:${tag(playerId)}:cooldowns`,
  playerSession: (playerId: Id) => `player:${tag(playerId)}:session`,

  chunkPlayers: (x: number, z: number) => `chunk:${tag(chunkCoord(x))}:{${chunkCoord(z)}}:players`,
  chunkEntities: (x: number, z: number) => `chunk:${tag(chunkCoord(x))}:{${chunkCoord(z)}}:entities`,
  chunkEvents: (x: number, z: number) => `chunk:${tag(chunkCoord(x))}:{${chunkCoord(z)}}:events`,
  chunkModified: (x: number, z: number) => `chunk:${tag(chunkCoord(x))}:{${chunkCoord(z)}}:modified`,

  damageQueue: () => 'damage:queue',
  projectilesActive: () => 'projectiles:active',
  combatRecent: (playerId: Id) => `combat:recent:${tag(playerId)}`,

  marketPrices: (itemId: Id) => `market:prices:${tag(itemId)}`,
  marketVolume: (itemId: Id) => `market:volume:${tag(itemId)}`,
  marketTrends: () => 'market:trends',

  processingQueue: (name: ProcessingQueue) => `queue:${part(name)}`,

  leaderboard: (board: Leaderboard) => `leaderboard:${board}`,
  /**
   * Beside each board (issue 15), hash-tagged by the board's own key so they share its slot and one
   * MULTI swaps them together: HASH of the entries' names, HASH of the board's state (updatedAt,
   * the kill boards' period), and the keys a rebuild writes aside before its RENAME.
   */
  leaderboardNames: (board: Leaderboard) => `{leaderboard:${board}}:names`,
  leaderboardMeta: (board: Leaderboard) => `{leaderboard:${board}}:meta`,
  leaderboardBuilding: (board: Leaderboard, build: string, what: 'scores' | 'names' | 'meta') =>
    `{leaderboard:${board}}:building:${part(build)}:${what}`,

  sessionsActive: () => 'sessions:active',

  // Additions to the seed (docs/architecture.md lists them): what the seed's keys need around them.
  /** HASH of one login session, by the SHA-256 of its token (the token itself is never stored). */
  session: (tokenHash: string) => `session:${tag(tokenHash)}`,
  /** SET of the session hashes of one account, so a ban or password change revokes them all. */
  accountSessions: (accountId: Id) => `account:${tag(accountId)}:sessions`,
  /** ZSET of failed login times of one account (lockout after 5 in 10 minutes). */
  loginFailures: (accountId: Id) => `account:${tag(accountId)}:login-failures`,
  /** STRING counter of one principal's requests in one rate-limit window. */
  rateLimit: (principal: string, window: number) => `ratelimit:${tag(principal)}:${window}`,
  /** HASH of one matchmaking ticket: character, region, status, assigned server. */
  matchmakingTicket: (ticketId: Id) => `matchmaking:ticket:${tag(ticketId)}`,
  /** SET of server ids of one region, so listing live servers does not scan. */
  regionServers: (region: string) => `servers:region:${tag(region)}`,
  /** SET of player ids whose Redis state changed since the last flush to PostgreSQL. */
  positionsDirty: () => 'players:dirty',
  /** STRING holding a short lease so one replica at a time runs a cluster-wide task. */
  lease: (name: string) => `lease:${tag(name)}`,
  matchmakingQueue: (region: string) => `matchmaking:queue:${tag(region)}`,
  /**
   * ZSET of characters the matchmaker sent to one server (score: assignment time in ms), removed
   * when they join: the server's seats promised but not yet taken.
   */
  matchmakingAssigned: (serverId: Id) => `matchmaking:assigned:${tag(serverId)}`,
  serverStatus: (serverId: Id) => `server:status:${tag(serverId)}`,
  /**
   * STRING by the SHA-256 of a game server key: the authenticated server (JSON), or `revoked`
   * written by the revocation so that no authentication still in flight can cache the key again.
   */
  serverKey: (keyHash: string) => `server:key:${tag(keyHash)}`,
} as const;

export type RedisKeyName = keyof typeof RedisKeys;
