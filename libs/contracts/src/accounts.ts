/**
 * Accounts domain contract: subjects, payload schemas and views of accounts, sessions,
 * characters, game servers, presence and matchmaking. The gateway validates bodies with these
 * schemas and the accounts service validates NATS payloads with the same ones.
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
export const chunkPlayersParams = z.strictObject({ x: chunkCoordParam, z: chunkCoordParam });
export const flushPositionsRequest = z.strictObject({
  batchSize: z.number().int().min(1).max(5000).optional(),
});
export const matchmakingRegionParams = z.strictObject({ region: regionSchema });
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

// ---- views (responses) -----------------------------------------------------------------------

export interface AccountView {
  id: string;
  username: string;
  email: string;
  createdAt: string;
}
export interface MeView extends AccountView {
  lastLogin: string | null;
  twoFactorEnabled: boolean;
  premiumExpires: string | null;
}
export interface SessionView {
  token: string;
  expiresAt: string;
  accountId: string;
}
export interface TotpEnrollmentView {
  secret: string;
  otpauthUrl: string;
}
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
export interface CharacterView {
  id: string;
  characterName: string;
  accountId: string;
  position: Position;
  rotation: Rotation;
  chunkX: number;
  chunkZ: number;
  health: Health;
  createdAt: string;
}
export interface RegisteredServerView {
  id: string;
  /** Shown once; null when a retry with the same Idempotency-Key replays the registration. */
  apiKey: string | null;
}
export interface LiveServerView {
  id: string;
  name: string;
  region: string;
  players: number;
  maxPlayers: number;
  tickRate: number;
  version: string;
  load: number;
}
export interface PlayerStateView {
  playerId: string;
  serverId: string;
  position: Position;
  rotation: Rotation;
  chunkX: number;
  chunkZ: number;
  health: Health;
}
/** Payload of `evt.accounts.character.created.v1`. */
export interface CharacterCreatedEvent {
  playerId: string;
  accountId: string;
  characterName: string;
  inventoryId: string;
  createdAt: string;
}
export interface LeaveView {
  lingerUntil?: string;
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
export interface TicketView {
  ticketId: string;
  status: 'queued' | 'assigned';
  serverId?: string;
}
export interface EnqueuedTicketView {
  ticketId: string;
}
export interface ChunkPlayersView {
  x: number;
  z: number;
  playerIds: string[];
}
export interface FlushView {
  /** Players whose Redis state was written to PostgreSQL. */
  flushed: number;
  /** Lingering players whose anti combat-log window ended and who were taken offline. */
  finalized: number;
}
export interface AssignView {
  /** False when another replica held the lease and this call did nothing. */
  ran: boolean;
  assigned: number;
  /** Ticket ids that had expired (or were already assigned) when their turn came. */
  dropped: number;
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
export interface ResolvedSession {
  accountId: string;
  sessionId: string;
}
export interface AuthenticatedServer {
  serverId: string;
  region: string;
  maxPlayers: number;
}

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

export const resolvedSessionView = z.object({ accountId: z.uuid(), sessionId: z.string() });
export const authenticatedServerView = z.object({
  serverId: z.uuid(),
  region: z.string(),
  maxPlayers: z.int(),
});

/**
 * Operations of the accounts service defined so far with the service kit; the rest still use
 * AccountsSubjects with hand-written handlers until they move here.
 */
export const AccountsOps = {
  /** The gateway resolves every bearer token through this (no principal: it is how one is made). */
  resolveSession: defineOperation({
    subject: AccountsSubjects.resolveSession,
    request: resolveSessionRequest,
    reply: resolvedSessionView,
    principals: ['anonymous', 'admin'],
    idempotent: false,
    errors: [ErrorCode.UNAUTHENTICATED, ErrorCode.ACCOUNT_BANNED],
  }),
  /** The gateway and every service resolve a game server's key through this. */
  authenticateServer: defineOperation({
    subject: AccountsSubjects.authenticateServer,
    request: authenticateServerRequest,
    reply: authenticatedServerView,
    principals: ['anonymous', 'admin'],
    idempotent: false,
    errors: [ErrorCode.UNAUTHENTICATED],
  }),
} as const;
