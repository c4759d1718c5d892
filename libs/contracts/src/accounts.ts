/**
 * Accounts domain contract: subjects, payload schemas and views of accounts, sessions,
 * characters, game servers, presence and matchmaking, and the operations built from them
 * (AccountsOps, at the bottom): the gateway's routes and the accounts service's handlers derive
 * from those, so both validate with the same schemas.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';

const uuid = z.uuid({ message: 'must be a UUID' });
const finite = z.number({ message: 'must be a number' }).finite('must be finite');

/** Length in Unicode code points: a password of emoji is measured as a person counts it. */
const codePoints = (value: string) => [...value].length;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const usernameSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[A-Za-z0-9_]{3,32}$/, 'must be 3 to 32 letters, digits or underscores');
export const emailSchema = z
  .email({ message: 'must be an email address' })
  .max(255, 'must be at most 255 characters');
export const passwordSchema = z
  .string({ message: 'must be a string' })
  .refine((v) => codePoints(v) >= PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .refine((v) => codePoints(v) <= PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);
export const characterNameSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[A-Za-z0-9_]{3,32}$/, 'must be 3 to 32 letters, digits or underscores');
export const regionSchema = z
  .string({ message: 'must be a string' })
  .regex(/^[a-z0-9-]{2,32}$/, 'must be 2 to 32 lowercase letters, digits or dashes');
export const totpCodeSchema = z.string({ message: 'must be a string' }).regex(/^\d{6}$/, 'must be 6 digits');

export const positionSchema = z.strictObject({ x: finite, y: finite, z: finite });
export const rotationSchema = z.strictObject({ x: finite, y: finite, z: finite, w: finite });
export type Position = z.infer<typeof positionSchema>;
export type Rotation = z.infer<typeof rotationSchema>;

export const BODY_PARTS = [
  'head',
  'thorax',
  'stomach',
  'left_arm',
  'right_arm',
  'left_leg',
  'right_leg',
] as const;
export type BodyPart = (typeof BODY_PARTS)[number];
/** Health per body part, 0 (destroyed) to 100 (whole). */
export const healthSchema = z.strictObject(
  Object.fromEntries(BODY_PARTS.map((part) => [part, finite.min(0).max(100)])) as Record<
    BodyPart,
    z.ZodNumber
  >,
);
export type Health = z.infer<typeof healthSchema>;

// ---- bodies (HTTP and NATS) ------------------------------------------------------------------

export const registerAccountBody = z.strictObject({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export const createSessionBody = z.strictObject({
  login: z.string({ message: 'must be a string' }).min(3).max(255),
  password: z.string({ message: 'must be a string' }).max(PASSWORD_MAX * 4, 'too long'),
  totp: totpCodeSchema.optional(),
});
export const verifyTotpBody = z.strictObject({ code: totpCodeSchema });
export const banAccountBody = z.strictObject({
  reason: z.string({ message: 'must be a string' }).min(1).max(500),
  expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});
export const grantPremiumBody = z.strictObject({
  until: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
});
export const changePasswordBody = z.strictObject({
  currentPassword: z.string({ message: 'must be a string' }).max(PASSWORD_MAX * 4, 'too long'),
  newPassword: passwordSchema,
});
/** NATS payloads of the admin account subjects: the account id of the path beside the body. */
export const accountIdRequest = z.strictObject({ accountId: uuid });
export const banAccountRequest = z.strictObject({ ...banAccountBody.shape, accountId: uuid });
export const grantPremiumRequest = z.strictObject({ ...grantPremiumBody.shape, accountId: uuid });
export const getMeRequest = z.strictObject({});
export const revokeSessionRequest = z.strictObject({ token: z.string().min(1).max(512) });
export const createCharacterBody = z.strictObject({ name: characterNameSchema });
export const registerServerBody = z.strictObject({
  name: z.string({ message: 'must be a string' }).min(1).max(64),
  region: regionSchema,
  maxPlayers: z.number({ message: 'must be a number' }).int('must be an integer').min(1).max(1000),
});
export const serverStatusBody = z.strictObject({
  players: z.number().int('must be an integer').min(0).max(1000),
  maxPlayers: z.number().int('must be an integer').min(1).max(1000),
  tickRate: finite.min(1).max(1000),
  version: z.string().min(1).max(64),
});
export const PLAYER_STATES_MAX = 1000;
export const playerStateSchema = z.strictObject({
  playerId: uuid,
  position: positionSchema,
  rotation: rotationSchema,
  health: healthSchema.optional(),
});
export const playerStatesBody = z.strictObject({
  states: z
    .array(playerStateSchema)
    .min(1)
    .max(PLAYER_STATES_MAX, `at most ${PLAYER_STATES_MAX} states per call`),
});
export const matchmakingTicketBody = z.strictObject({ characterId: uuid });

// ---- presence and matchmaking requests (NATS) -------------------------------------------------

/** World coordinates of a chunk (SPEC §4: 128-unit chunks). */
export const CHUNK_SIZE = 128;
const chunkCoordSchema = z
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(-1_000_000, 'must be at least -1000000')
  .max(1_000_000, 'must be at most 1000000');
/** A chunk coordinate in a URL path: an integer written in decimal. */
const chunkCoordParam = z
  .string({ message: 'must be an integer' })
  .regex(/^-?\d{1,7}$/, 'must be an integer')
  .transform(Number)
  .pipe(chunkCoordSchema);
export const playerPresenceRequest = z.strictObject({ playerId: uuid });
export const updateStatesRequest = playerStatesBody;
export const chunkPlayersRequest = z.strictObject({ x: chunkCoordSchema, z: chunkCoordSchema });
export const flushPositionsRequest = z.strictObject({
  batchSize: z.number().int().min(1).max(5000).optional(),
});
export const enqueueTicketRequest = z.strictObject({ region: regionSchema, characterId: uuid });
export const getTicketRequest = z.strictObject({ ticketId: uuid });
export const assignTicketsRequest = z.strictObject({});
export const listCharactersRequest = z.strictObject({});
export const listServersQuery = z.strictObject({ region: regionSchema });
export const revokeServerRequest = z.strictObject({ id: uuid });

export type RegisterAccountBody = z.infer<typeof registerAccountBody>;
export type CreateSessionBody = z.infer<typeof createSessionBody>;
export type BanAccountBody = z.infer<typeof banAccountBody>;
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;
export type RegisterServerBody = z.infer<typeof registerServerBody>;
export type ServerStatusBody = z.infer<typeof serverStatusBody>;
export type PlayerState = z.infer<typeof playerStateSchema>;

// ---- views (replies) ---------------------------------------------------------------------------

const timestamp = z.string().describe('ISO 8601 date-time');

export const accountView = z.object({
  id: z.uuid(),
  username: z.string(),
  email: z.string(),
  createdAt: timestamp,
});
export type AccountView = z.infer<typeof accountView>;

export const meView = accountView.extend({
  lastLogin: timestamp.nullable(),
  twoFactorEnabled: z.boolean(),
  premiumExpires: timestamp.nullable(),
});
export type MeView = z.infer<typeof meView>;

/** A new session: the token is shown this once. */
export const sessionView = z.object({ token: z.string(), expiresAt: timestamp, accountId: z.uuid() });
export type SessionView = z.infer<typeof sessionView>;

/** A pending two-factor secret: shown this once, off until verified. */
export const totpEnrollmentView = z.object({ secret: z.string(), otpauthUrl: z.string() });
export type TotpEnrollmentView = z.infer<typeof totpEnrollmentView>;

export const characterView = z.object({
  id: z.uuid(),
  characterName: z.string(),
  accountId: z.uuid(),
  position: positionSchema,
  rotation: rotationSchema,
  chunkX: z.int(),
  chunkZ: z.int(),
  health: healthSchema,
  createdAt: timestamp,
});
export type CharacterView = z.infer<typeof characterView>;

export const registeredServerView = z.object({
  id: z.uuid(),
  apiKey: z
    .string()
    .nullable()
    .describe('Shown once; null when a retry with the same Idempotency-Key replays the registration'),
});
export type RegisteredServerView = z.infer<typeof registeredServerView>;

export const liveServerView = z.object({
  id: z.uuid(),
  name: z.string(),
  region: z.string(),
  players: z.int(),
  maxPlayers: z.int(),
  tickRate: z.number(),
  version: z.string(),
  load: z.number(),
});
export type LiveServerView = z.infer<typeof liveServerView>;

export const playerStateView = z.object({
  playerId: z.uuid(),
  serverId: z.uuid(),
  position: positionSchema,
  rotation: rotationSchema,
  chunkX: z.int(),
  chunkZ: z.int(),
  health: healthSchema,
});
export type PlayerStateView = z.infer<typeof playerStateView>;

/** `{}`, or `{lingerUntil}` when the player stays in the world, killable, until then. */
export const leaveView = z.object({ lingerUntil: timestamp.optional() });
export type LeaveView = z.infer<typeof leaveView>;

export const ticketView = z.object({
  ticketId: z.uuid(),
  status: z.enum(['queued', 'assigned']),
  serverId: z.uuid().optional(),
});
export type TicketView = z.infer<typeof ticketView>;

export const enqueuedTicketView = z.object({ ticketId: z.uuid() });
export type EnqueuedTicketView = z.infer<typeof enqueuedTicketView>;

export const chunkPlayersView = z.object({ x: z.int(), z: z.int(), playerIds: z.array(z.uuid()) });
export type ChunkPlayersView = z.infer<typeof chunkPlayersView>;

export const flushView = z.object({
  flushed: z.int().describe('Players whose Redis state was written to PostgreSQL'),
  finalized: z
    .int()
    .describe('Lingering players whose anti combat-log window ended and who were taken offline'),
});
export type FlushView = z.infer<typeof flushView>;

export const assignView = z.object({
  ran: z.boolean().describe('False when another replica held the lease and this call did nothing'),
  assigned: z.int(),
  dropped: z.int().describe('Ticket ids that had expired (or were already assigned) when their turn came'),
});
export type AssignView = z.infer<typeof assignView>;

// ---- events --------------------------------------------------------------------------------------

/** Payload of `evt.accounts.account.registered.v1`. */
export interface AccountRegisteredEvent {
  accountId: string;
  username: string;
  createdAt: string;
}
/** Payload of `evt.accounts.account.banned.v1`. */
export interface AccountBannedEvent {
  accountId: string;
  reason: string;
  expiresAt: string | null;
  bannedAt: string;
}
/** Payload of `evt.accounts.character.created.v1`. */
export interface CharacterCreatedEvent {
  playerId: string;
  accountId: string;
  characterName: string;
  inventoryId: string;
  createdAt: string;
}
/** Payload of `evt.accounts.player.joined.v1`: a character entered a game server's world. */
export interface PlayerJoinedEvent {
  playerId: string;
  serverId: string;
  /** The server that held the character before (a take-over from a dead server), if any. */
  previousServerId: string | null;
  chunkX: number;
  chunkZ: number;
  joinedAt: string;
}
/**
 * Payload of `evt.accounts.player.left.v1`: the character is out of the world (`left`), or stays
 * killable until `lingerUntil` (`lingering`), or its combat linger ended (`linger_ended`).
 */
export interface PlayerLeftEvent {
  playerId: string;
  serverId: string;
  reason: 'left' | 'lingering' | 'linger_ended';
  lingerUntil: string | null;
  at: string;
}

// ---- who is calling --------------------------------------------------------------------------

/** The authenticated caller, resolved by the gateway and carried to services in NATS headers. */
export type Principal =
  | { kind: 'player'; accountId: string }
  | { kind: 'server'; serverId: string; region: string }
  | { kind: 'admin' }
  | { kind: 'anonymous' };

/** Resolution of a bearer token or server key (internal subjects used by the gateway). */
export const resolveSessionRequest = z.strictObject({ token: z.string().min(1).max(512) });
export const authenticateServerRequest = z.strictObject({ apiKey: z.string().min(1).max(512) });
export const resolvedSessionView = z.object({ accountId: z.uuid(), sessionId: z.string() });
export type ResolvedSession = z.infer<typeof resolvedSessionView>;
export const authenticatedServerView = z.object({
  serverId: z.uuid(),
  region: z.string(),
  maxPlayers: z.int(),
});
export type AuthenticatedServer = z.infer<typeof authenticatedServerView>;

// ---- subjects ---------------------------------------------------------------------------------

export const AccountsSubjects = {
  register: 'accounts.account.register.v1',
  me: 'accounts.account.get.v1',
  ban: 'accounts.account.ban.v1',
  unban: 'accounts.account.unban.v1',
  grantPremium: 'accounts.account.premium.v1',
  changePassword: 'accounts.account.password.v1',
  login: 'accounts.session.create.v1',
  logout: 'accounts.session.revoke.v1',
  resolveSession: 'accounts.session.resolve.v1',
  enrollTotp: 'accounts.totp.enroll.v1',
  verifyTotp: 'accounts.totp.verify.v1',
  createCharacter: 'accounts.character.create.v1',
  listCharacters: 'accounts.character.list.v1',
  registerServer: 'accounts.server.register.v1',
  revokeServer: 'accounts.server.revoke.v1',
  authenticateServer: 'accounts.server.authenticate.v1',
  heartbeat: 'accounts.server.heartbeat.v1',
  listServers: 'accounts.server.list.v1',
  join: 'accounts.presence.join.v1',
  leave: 'accounts.presence.leave.v1',
  updateStates: 'accounts.presence.states.v1',
  chunkPlayers: 'accounts.presence.chunk.v1',
  flushPositions: 'accounts.presence.flush.v1',
  enqueueTicket: 'accounts.matchmaking.enqueue.v1',
  getTicket: 'accounts.matchmaking.get.v1',
  assignTickets: 'accounts.matchmaking.assign.v1',
} as const;

/** Events of the accounts domain (outbox → stream EVENTS). */
export const AccountsEvents = {
  accountRegistered: 'evt.accounts.account.registered.v1',
  accountBanned: 'evt.accounts.account.banned.v1',
  characterCreated: 'evt.accounts.character.created.v1',
  playerJoined: 'evt.accounts.player.joined.v1',
  playerLeft: 'evt.accounts.player.left.v1',
} as const;

/** A stable string for a principal: scopes idempotency keys and rate limits. */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'player':
      return `player:${principal.accountId}`;
    case 'server':
      return `server:${principal.serverId}`;
    case 'admin':
      return 'admin';
    case 'anonymous':
      return 'anonymous';
  }
}

// ---- operations ----------------------------------------------------------------------------------

const {
  NOT_FOUND,
  FORBIDDEN,
  CONFLICT,
  UNAUTHENTICATED,
  INVALID_CREDENTIALS,
  TOTP_REQUIRED,
  TOTP_INVALID,
  ACCOUNT_BANNED,
  USERNAME_TAKEN,
  EMAIL_TAKEN,
  NAME_TAKEN,
  ALREADY_ONLINE,
  LIMIT_REACHED,
} = ErrorCode;

/**
 * The accounts service's operations (SPEC §7 "Accounts", "Characters", "Servers", "Presence",
 * "Matchmaking"): players manage their account, characters and tickets, game servers their
 * status and presence, operators bans and servers; the internal ones are the worker's (admin).
 */
export const AccountsOps = {
  // -- accounts and sessions
  register: defineOperation({
    subject: AccountsSubjects.register,
    request: registerAccountBody,
    reply: accountView,
    principals: ['anonymous', 'player', 'admin'],
    idempotent: true,
    // The password stays out of the stored request hash (a fast hash of it would undo Argon2); a
    // replay proves the password against the account instead.
    idempotencyPin: ({ username, email }) => ({ username, email: email.toLowerCase() }),
    errors: [USERNAME_TAKEN, EMAIL_TAKEN],
    http: {
      method: 'POST',
      path: '/v1/accounts',
      status: 201,
      body: registerAccountBody,
      tag: 'accounts',
      summary: 'Register an account (no credentials needed; a common password is refused)',
    },
  }),
  me: defineOperation({
    subject: AccountsSubjects.me,
    request: getMeRequest,
    reply: meView,
    principals: ['player'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/accounts/me',
      status: 200,
      tag: 'accounts',
      summary: "The caller's account",
    },
  }),
  enrollTotp: defineOperation({
    subject: AccountsSubjects.enrollTotp,
    request: getMeRequest,
    reply: totpEnrollmentView,
    principals: ['player'],
    idempotent: true,
    errors: [NOT_FOUND, CONFLICT],
    http: {
      method: 'POST',
      path: '/v1/accounts/me/2fa',
      status: 201,
      tag: 'accounts',
      summary: 'Start two-factor enrolment; enrolling again before verifying replaces the secret',
    },
  }),
  verifyTotp: defineOperation({
    subject: AccountsSubjects.verifyTotp,
    request: verifyTotpBody,
    reply: z.null(),
    principals: ['player'],
    idempotent: true,
    errors: [TOTP_INVALID, CONFLICT],
    http: {
      method: 'POST',
      path: '/v1/accounts/me/2fa/verify',
      status: 204,
      body: verifyTotpBody,
      tag: 'accounts',
      summary: 'Confirm enrolment with a current code (RFC 6238, 30 s, ±1 step, each code once)',
    },
  }),
  changePassword: defineOperation({
    subject: AccountsSubjects.changePassword,
    request: changePasswordBody,
    reply: z.null(),
    principals: ['player'],
    idempotent: false,
    errors: [INVALID_CREDENTIALS, NOT_FOUND, CONFLICT],
    http: {
      method: 'PUT',
      path: '/v1/accounts/me/password',
      status: 204,
      body: changePasswordBody,
      tag: 'accounts',
      summary: 'Change the password (a wrong one counts as a failed login); every session ends',
    },
  }),
  /** Each call opens a new session: tokens are stored only as hashes, so none could be replayed. */
  login: defineOperation({
    subject: AccountsSubjects.login,
    request: createSessionBody,
    reply: sessionView,
    principals: ['anonymous', 'player'],
    idempotent: false,
    errors: [INVALID_CREDENTIALS, TOTP_REQUIRED, TOTP_INVALID, ACCOUNT_BANNED],
    http: {
      method: 'POST',
      path: '/v1/sessions',
      status: 201,
      body: createSessionBody,
      tag: 'sessions',
      summary: 'Log in by username or email; 5 failures in 10 minutes lock the account for 10 minutes',
    },
  }),
  /** Ends the caller's own session: the token is the bearer token of the request. */
  logout: defineOperation({
    subject: AccountsSubjects.logout,
    request: revokeSessionRequest,
    reply: z.null(),
    principals: ['player'],
    idempotent: false,
    errors: [FORBIDDEN],
    http: {
      method: 'DELETE',
      path: '/v1/sessions/current',
      status: 204,
      sessionToken: 'token',
      tag: 'sessions',
      summary: 'Log out: the bearer token stops working at once',
    },
  }),
  /** The gateway resolves every bearer token through this (no principal: it is how one is made). */
  resolveSession: defineOperation({
    subject: AccountsSubjects.resolveSession,
    request: resolveSessionRequest,
    reply: resolvedSessionView,
    principals: ['anonymous', 'admin'],
    idempotent: false,
    errors: [UNAUTHENTICATED, ACCOUNT_BANNED],
  }),

  // -- operators on accounts
  ban: defineOperation({
    subject: AccountsSubjects.ban,
    request: banAccountRequest,
    reply: z.null(),
    principals: ['admin'],
    idempotent: true,
    errors: [NOT_FOUND],
    http: {
      method: 'POST',
      path: '/v1/admin/accounts/{id}/ban',
      params: { id: 'accountId' },
      status: 204,
      body: banAccountBody,
      tag: 'admin',
      summary: 'Ban an account (until expiresAt, when given); every session of it stops at once',
    },
  }),
  unban: defineOperation({
    subject: AccountsSubjects.unban,
    request: accountIdRequest,
    reply: z.null(),
    principals: ['admin'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'DELETE',
      path: '/v1/admin/accounts/{id}/ban',
      params: { id: 'accountId' },
      status: 204,
      tag: 'admin',
      summary: 'Lift a ban (also when there is none)',
    },
  }),
  grantPremium: defineOperation({
    subject: AccountsSubjects.grantPremium,
    request: grantPremiumRequest,
    reply: z.null(),
    principals: ['admin'],
    idempotent: true,
    errors: [NOT_FOUND],
    http: {
      method: 'POST',
      path: '/v1/admin/accounts/{id}/premium',
      params: { id: 'accountId' },
      status: 204,
      body: grantPremiumBody,
      tag: 'admin',
      summary: 'Set premium until a date (a past date ends premium)',
    },
  }),

  // -- characters
  createCharacter: defineOperation({
    subject: AccountsSubjects.createCharacter,
    request: createCharacterBody,
    reply: characterView,
    principals: ['player'],
    idempotent: true,
    errors: [NOT_FOUND, NAME_TAKEN, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/characters',
      status: 201,
      body: createCharacterBody,
      tag: 'characters',
      summary: 'Create a character (at most 5, names unique whatever their case) with its inventory',
    },
  }),
  listCharacters: defineOperation({
    subject: AccountsSubjects.listCharacters,
    request: listCharactersRequest,
    reply: z.array(characterView),
    principals: ['player'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/characters',
      status: 200,
      tag: 'characters',
      summary: "The caller's characters, oldest first",
    },
  }),

  // -- game servers
  registerServer: defineOperation({
    subject: AccountsSubjects.registerServer,
    request: registerServerBody,
    reply: registeredServerView,
    principals: ['admin'],
    idempotent: true,
    errors: [],
    http: {
      method: 'POST',
      path: '/v1/admin/servers',
      status: 201,
      body: registerServerBody,
      tag: 'servers',
      summary: 'Register a game server: its key is shown only here',
    },
  }),
  revokeServer: defineOperation({
    subject: AccountsSubjects.revokeServer,
    request: revokeServerRequest,
    reply: z.null(),
    principals: ['admin'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'DELETE',
      path: '/v1/admin/servers/{id}',
      params: { id: 'id' },
      status: 204,
      tag: 'servers',
      summary: 'Revoke a server: its key stops working on its next request',
    },
  }),
  /** The gateway and every service resolve a game server's key through this. */
  authenticateServer: defineOperation({
    subject: AccountsSubjects.authenticateServer,
    request: authenticateServerRequest,
    reply: authenticatedServerView,
    principals: ['anonymous', 'admin'],
    idempotent: false,
    errors: [UNAUTHENTICATED],
  }),
  /** The server is the principal: it can only ever report its own status. */
  heartbeat: defineOperation({
    subject: AccountsSubjects.heartbeat,
    request: serverStatusBody,
    reply: z.null(),
    principals: ['server'],
    idempotent: false,
    errors: [UNAUTHENTICATED, LIMIT_REACHED],
    http: {
      method: 'PUT',
      path: '/v1/servers/me/status',
      status: 204,
      body: serverStatusBody,
      tag: 'servers',
      summary: "The calling server's status, kept 30 s: send it every ~10 s to stay listed",
    },
  }),
  listServers: defineOperation({
    subject: AccountsSubjects.listServers,
    request: listServersQuery,
    reply: z.array(liveServerView),
    principals: ['player'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/servers',
      status: 200,
      query: listServersQuery,
      tag: 'servers',
      summary: 'The live servers of a region, least loaded first',
    },
  }),

  // -- presence (game servers may call these over NATS directly)
  join: defineOperation({
    subject: AccountsSubjects.join,
    request: playerPresenceRequest,
    reply: playerStateView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, ALREADY_ONLINE, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/join',
      params: { id: 'playerId' },
      status: 200,
      tag: 'presence',
      summary: "A character enters the calling server's world (at most min(maxPlayers, 1000))",
    },
  }),
  leave: defineOperation({
    subject: AccountsSubjects.leave,
    request: playerPresenceRequest,
    reply: leaveView,
    principals: ['server'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/leave',
      params: { id: 'playerId' },
      status: 200,
      tag: 'presence',
      summary: 'A character leaves; after combat in the last 30 s it lingers, killable, until lingerUntil',
    },
  }),
  updateStates: defineOperation({
    subject: AccountsSubjects.updateStates,
    request: updateStatesRequest,
    reply: z.null(),
    principals: ['server'],
    idempotent: false,
    errors: [FORBIDDEN],
    http: {
      method: 'PUT',
      path: '/v1/players/states',
      status: 204,
      body: playerStatesBody,
      tag: 'presence',
      summary: 'Up to 1,000 states of joined players (all or nothing); chunk sets follow border crossings',
    },
  }),
  chunkPlayers: defineOperation({
    subject: AccountsSubjects.chunkPlayers,
    request: chunkPlayersRequest,
    reply: chunkPlayersView,
    principals: ['server'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/chunks/{x}/{z}/players',
      params: { x: { field: 'x', schema: chunkCoordParam }, z: { field: 'z', schema: chunkCoordParam } },
      status: 200,
      tag: 'presence',
      summary: "The calling server's players in a chunk (chunk = floor(world coordinate / 128))",
    },
  }),
  /** Internal: the worker's `positions.flush` schedule. */
  flushPositions: defineOperation({
    subject: AccountsSubjects.flushPositions,
    request: flushPositionsRequest,
    reply: flushView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),

  // -- matchmaking
  enqueueTicket: defineOperation({
    subject: AccountsSubjects.enqueueTicket,
    request: enqueueTicketRequest,
    reply: enqueuedTicketView,
    principals: ['player'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/matchmaking/{region}/tickets',
      params: { region: { field: 'region', schema: regionSchema } },
      status: 202,
      body: matchmakingTicketBody,
      tag: 'matchmaking',
      summary: 'Queue one of your characters for a server of a region; poll the ticket',
    },
  }),
  getTicket: defineOperation({
    subject: AccountsSubjects.getTicket,
    request: getTicketRequest,
    reply: ticketView,
    principals: ['player'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/matchmaking/tickets/{ticketId}',
      params: { ticketId: 'ticketId' },
      status: 200,
      tag: 'matchmaking',
      summary: 'A ticket of yours: queued, or assigned with its serverId',
    },
  }),
  /** Internal: the worker's `matchmaking.assign` schedule. */
  assignTickets: defineOperation({
    subject: AccountsSubjects.assignTickets,
    request: assignTicketsRequest,
    reply: assignView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
