/**
 * Factions domain contract (issue 14): subjects, payload schemas, views, events and error codes
 * of the factions service, one definition per operation. Membership with ranks and permissions,
 * invitations, the leader's handover and disband, and the treasury with its ledger.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView } from './world';

/**
 * The codes the factions SQL functions raise (raise_error in prisma/sql/factions/), each the API
 * error of the same name (listed in OWNER_ERRORS of libs/db's procedure-sources spec).
 */
export const FactionsErrors = {
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  CONFLICT: ErrorCode.CONFLICT,
  ALREADY_IN_FACTION: ErrorCode.ALREADY_IN_FACTION,
  NAME_TAKEN: ErrorCode.NAME_TAKEN,
  TAG_TAKEN: ErrorCode.TAG_TAKEN,
  LIMIT_REACHED: ErrorCode.LIMIT_REACHED,
  INSUFFICIENT_FUNDS: ErrorCode.INSUFFICIENT_FUNDS,
  IDEMPOTENCY_KEY_REUSED: ErrorCode.IDEMPOTENCY_KEY_REUSED,
} as const satisfies { [K in ErrorCode]?: K };
const { NOT_FOUND, FORBIDDEN, CONFLICT, ALREADY_IN_FACTION, NAME_TAKEN, TAG_TAKEN, LIMIT_REACHED } =
  FactionsErrors;
const { INSUFFICIENT_FUNDS } = FactionsErrors;

/** Ranks, highest first: a member acts only on lower ranks. */
export const FACTION_RANKS = ['leader', 'officer', 'member', 'recruit'] as const;
export type FactionRank = (typeof FACTION_RANKS)[number];

/** The documented permission set (docs/factions.md); the leader holds all of them. */
export const FACTION_PERMISSIONS = [
  'invite',
  'kick',
  'promote',
  'manage',
  'build',
  'open_storage',
  'treasury_deposit',
  'treasury_withdraw',
  'territory_capture',
] as const;
export type FactionPermission = (typeof FACTION_PERMISSIONS)[number];

/** Each rank's permissions when it is given (join, a rank change without a list, handover). */
export const FACTION_DEFAULT_PERMISSIONS: Record<FactionRank, readonly FactionPermission[]> = {
  leader: FACTION_PERMISSIONS,
  officer: [
    'invite',
    'kick',
    'promote',
    'build',
    'open_storage',
    'treasury_deposit',
    'treasury_withdraw',
    'territory_capture',
  ],
  member: ['build', 'open_storage', 'treasury_deposit', 'territory_capture'],
  recruit: ['treasury_deposit'],
};

/** Largest single treasury move (scrap). */
export const TREASURY_AMOUNT_MAX = 1_000_000_000_000;
export const FACTIONS_MAX_LIMIT = 100;

const uuid = z.uuid({ message: 'must be a UUID' });
const name = z
  .string({ message: 'must be a string' })
  .min(3, 'must be 3 to 64 characters')
  .max(64, 'must be 3 to 64 characters')
  .refine((s) => s.trim() === s, 'must not start or end with a space');
const tag = z
  .string({ message: 'must be a string' })
  .regex(/^[A-Z0-9]{2,8}$/, 'must be 2 to 8 capital letters or digits');
const description = z.string({ message: 'must be a string' }).max(1000, 'at most 1000 characters');
const color = z.string({ message: 'must be a string' }).regex(/^#[0-9A-Fa-f]{6}$/, 'must be #RRGGBB');
const webhook = z
  .string({ message: 'must be a string' })
  .max(2048, 'at most 2048 characters')
  .regex(/^https:\/\/[^\s/?#@]+(\/\S*)?$/, 'must be an https URL');
const permission = z.enum(FACTION_PERMISSIONS, {
  message: `must be one of ${FACTION_PERMISSIONS.join(', ')}`,
});
const amount = z
  .int({ message: 'must be an integer' })
  .min(1, 'must be at least 1')
  .max(TREASURY_AMOUNT_MAX, `must be at most ${TREASURY_AMOUNT_MAX}`);
const cursor = z
  .string({ message: 'must be a string' })
  .max(200, 'too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this route returned');
const limitQuery = z
  .string({ message: 'must be a number' })
  .regex(/^[0-9]{1,3}$/, `must be 1 to ${FACTIONS_MAX_LIMIT}`)
  .transform(Number)
  .pipe(
    z.int().min(1, 'must be at least 1').max(FACTIONS_MAX_LIMIT, `must be at most ${FACTIONS_MAX_LIMIT}`),
  );
const limit = z
  .int({ message: 'must be an integer' })
  .min(1, 'must be at least 1')
  .max(FACTIONS_MAX_LIMIT, `must be at most ${FACTIONS_MAX_LIMIT}`);

export const createFactionBody = z.strictObject({
  founderId: uuid,
  name,
  tag,
  description: description.optional(),
  color: color.optional(),
});
export const createFactionRequest = createFactionBody;

export const listFactionsQuery = z.strictObject({
  search: z
    .string({ message: 'must be a string' })
    .min(1, 'must not be empty')
    .max(64, 'at most 64 characters')
    .optional(),
  limit: limitQuery.optional(),
  cursor: cursor.optional(),
});
export const listFactionsRequest = z.strictObject({
  search: z
    .string({ message: 'must be a string' })
    .min(1, 'must not be empty')
    .max(64, 'at most 64 characters')
    .optional(),
  limit: limit.optional(),
  cursor: cursor.optional(),
});
export type ListFactionsRequest = z.infer<typeof listFactionsRequest>;

export const factionIdRequest = z.strictObject({ factionId: uuid });

export const updateFactionBody = z
  .strictObject({
    byPlayerId: uuid,
    description: description.nullable().optional(),
    color: color.nullable().optional(),
    /** A Discord webhook URL for raid alerts (https); null removes it. Setting one enables it again. */
    discordWebhook: webhook.nullable().optional(),
    maxMembers: z
      .int({ message: 'must be an integer' })
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500')
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 1, { message: 'nothing to change', path: ['byPlayerId'] });
export const updateFactionRequest = updateFactionBody.safeExtend({ factionId: uuid });
export type UpdateFactionRequest = z.infer<typeof updateFactionRequest>;

export const factionInviteBody = z.strictObject({ byPlayerId: uuid, playerId: uuid });
export const factionInviteRequest = factionInviteBody.extend({ factionId: uuid });
export const withdrawFactionInviteBody = z.strictObject({ byPlayerId: uuid });
export const withdrawFactionInviteRequest = withdrawFactionInviteBody.extend({
  factionId: uuid,
  playerId: uuid,
});
export const factionPlayerBody = z.strictObject({ playerId: uuid });
export const factionPlayerRequest = factionPlayerBody.extend({ factionId: uuid });
export const factionByPlayerBody = z.strictObject({ byPlayerId: uuid });
export const factionByPlayerRequest = factionByPlayerBody.extend({ factionId: uuid });
export const factionKickBody = factionInviteBody;
export const factionKickRequest = factionInviteRequest;
export const factionLeaderBody = factionInviteBody;
export const factionLeaderRequest = factionInviteRequest;

export const updateFactionMemberBody = z
  .strictObject({
    byPlayerId: uuid,
    rank: z
      .enum(['officer', 'member', 'recruit'], { message: 'must be officer, member or recruit' })
      .optional(),
    permissions: z
      .array(permission, { message: 'must be an array' })
      .max(FACTION_PERMISSIONS.length, 'too many')
      .refine((list) => new Set(list).size === list.length, 'must not repeat a permission')
      .optional(),
  })
  .refine((b) => b.rank !== undefined || b.permissions !== undefined, {
    message: 'rank or permissions required',
    path: ['rank'],
  });
export const updateFactionMemberRequest = updateFactionMemberBody.safeExtend({
  factionId: uuid,
  playerId: uuid,
});
export type UpdateFactionMemberRequest = z.infer<typeof updateFactionMemberRequest>;

export const factionTreasuryBody = z.strictObject({ playerId: uuid, amount });
export const factionTreasuryRequest = factionTreasuryBody.extend({ factionId: uuid });
export type FactionTreasuryRequest = z.infer<typeof factionTreasuryRequest>;

export const factionLedgerQuery = z.strictObject({ limit: limitQuery.optional(), cursor: cursor.optional() });
export const factionLedgerRequest = z.strictObject({
  factionId: uuid,
  limit: limit.optional(),
  cursor: cursor.optional(),
});
export type FactionLedgerRequest = z.infer<typeof factionLedgerRequest>;

export const factionMemberView = z.object({
  playerId: z.uuid(),
  characterName: z.string(),
  rank: z.enum(FACTION_RANKS),
  permissions: z.array(z.enum(FACTION_PERMISSIONS)),
  joinedAt: timestampView,
  lastOnline: timestampView.nullable(),
  contributionPoints: z.int(),
});
export type FactionMemberView = z.infer<typeof factionMemberView>;

export const factionView = z.object({
  id: z.uuid(),
  name: z.string(),
  tag: z.string(),
  description: z.string().nullable(),
  leaderId: z.uuid().nullable(),
  /** Scrap in the treasury. */
  treasury: z.number(),
  reputation: z.int(),
  color: z.string().nullable(),
  /** Whether a raid alert webhook is set (the URL itself is the faction's secret). */
  hasWebhook: z.boolean(),
  /** Set when the webhook kept failing and was disabled; setting a webhook again clears it. */
  webhookDisabledAt: timestampView.nullable(),
  webhookDisabledReason: z.string().nullable(),
  memberCount: z.int(),
  maxMembers: z.int(),
  createdAt: timestampView,
});
export type FactionView = z.infer<typeof factionView>;
export const factionWithMembersView = factionView.extend({ members: z.array(factionMemberView) });
export type FactionWithMembersView = z.infer<typeof factionWithMembersView>;
export const factionListView = z.object({
  factions: z.array(factionView),
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type FactionListView = z.infer<typeof factionListView>;

export const factionInviteView = z.object({
  factionId: z.uuid(),
  playerId: z.uuid(),
  invitedBy: z.uuid(),
  createdAt: timestampView,
  expiresAt: timestampView,
});
export type FactionInviteView = z.infer<typeof factionInviteView>;

export const factionTreasuryView = z.object({
  /** The faction's treasury after the move. */
  treasury: z.number(),
  /** The member's scrap wallet after the move. */
  balance: z.number(),
});
export type FactionTreasuryView = z.infer<typeof factionTreasuryView>;

/** Why a treasury changed: a member's deposit or withdrawal, the disband payout, territory income. */
export const FACTION_LEDGER_REASONS = ['deposit', 'withdraw', 'disband_payout', 'territory_income'] as const;
export const factionLedgerEntryView = z.object({
  id: z.string(),
  playerId: z.uuid().nullable(),
  delta: z.number(),
  balanceAfter: z.number(),
  reason: z.enum(FACTION_LEDGER_REASONS),
  createdAt: timestampView,
});
export const factionLedgerView = z.object({
  entries: z.array(factionLedgerEntryView),
  nextCursor: z.string().nullable(),
});
export type FactionLedgerView = z.infer<typeof factionLedgerView>;

export const factionsStatusQuery = z.strictObject({});
export const factionsStatusRequest = factionsStatusQuery;
export const factionsStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type FactionsStatusView = z.infer<typeof factionsStatusView>;

/** Outbox events of the factions service (stream EVENTS). */
export const FactionEvents = {
  created: 'evt.factions.faction.created.v1',
  disbanded: 'evt.factions.faction.disbanded.v1',
  memberJoined: 'evt.factions.member.joined.v1',
  memberLeft: 'evt.factions.member.left.v1',
  rankChanged: 'evt.factions.member.rank.changed.v1',
} as const;

/** Internal: the worker's raid_alerts job asks the factions service to send one alert. */
export const deliverRaidAlertRequest = z.strictObject({
  deliveryId: uuid,
  /** The job's last try: a failure now is final (the delivery is marked failed). */
  finalAttempt: z.boolean({ message: 'must be a boolean' }),
});
export const raidAlertDeliveryView = z.object({
  /** delivered; pending (failed, try again); failed; refused (private address); skipped (no webhook). */
  status: z.enum(['pending', 'delivered', 'failed', 'refused', 'skipped', 'missing']),
  /** The worker's job should throw so BullMQ retries it with backoff. */
  retry: z.boolean(),
  error: z.string().nullable(),
});
export type RaidAlertDeliveryView = z.infer<typeof raidAlertDeliveryView>;

export const FactionsSubjects = {
  getStatus: 'factions.status.get.v1',
  create: 'factions.faction.create.v1',
  list: 'factions.faction.list.v1',
  get: 'factions.faction.get.v1',
  update: 'factions.faction.update.v1',
  disband: 'factions.faction.disband.v1',
  invite: 'factions.invite.create.v1',
  withdrawInvite: 'factions.invite.withdraw.v1',
  join: 'factions.member.join.v1',
  leave: 'factions.member.leave.v1',
  kick: 'factions.member.kick.v1',
  updateMember: 'factions.member.update.v1',
  handOver: 'factions.leader.hand-over.v1',
  deposit: 'factions.treasury.deposit.v1',
  withdraw: 'factions.treasury.withdraw.v1',
  ledger: 'factions.treasury.ledger.v1',
  deliverRaidAlert: 'factions.raid-alert.deliver.v1',
} as const;

const TAG = 'factions';
/** Game servers act for the characters joined to them; admins may do all. */
const ACTORS = ['server', 'admin'] as const;
const READERS = ['server', 'admin', 'player'] as const;

export const FactionsOps = {
  getStatus: defineOperation({
    subject: FactionsSubjects.getStatus,
    request: factionsStatusRequest,
    reply: factionsStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/factions/status',
      query: factionsStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The factions service as its database sees it: its schema and how many functions it publishes',
    },
  }),
  create: defineOperation({
    subject: FactionsSubjects.create,
    request: createFactionRequest,
    reply: factionWithMembersView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, ALREADY_IN_FACTION, NAME_TAKEN, TAG_TAKEN],
    http: {
      method: 'POST',
      path: '/v1/factions',
      body: createFactionBody,
      status: 201,
      tag: TAG,
      summary: 'Found a faction: the founder (not in a faction) becomes its leader',
    },
  }),
  list: defineOperation({
    subject: FactionsSubjects.list,
    request: listFactionsRequest,
    reply: factionListView,
    principals: READERS,
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/factions',
      query: listFactionsQuery,
      status: 200,
      tag: TAG,
      summary: 'Live factions by name, searched in name and tag, keyset paged',
    },
  }),
  get: defineOperation({
    subject: FactionsSubjects.get,
    request: factionIdRequest,
    reply: factionWithMembersView,
    principals: READERS,
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/factions/{id}',
      params: { id: 'factionId' },
      status: 200,
      tag: TAG,
      summary: "A faction with its members (a player: only its own characters' faction)",
    },
  }),
  update: defineOperation({
    subject: FactionsSubjects.update,
    request: updateFactionRequest,
    reply: factionView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'PATCH',
      path: '/v1/factions/{id}',
      params: { id: 'factionId' },
      body: updateFactionBody,
      status: 200,
      tag: TAG,
      summary: 'Change description, color, raid alert webhook or member limit (needs manage)',
    },
  }),
  disband: defineOperation({
    subject: FactionsSubjects.disband,
    request: factionByPlayerRequest,
    reply: z.null(),
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'DELETE',
      path: '/v1/factions/{id}',
      params: { id: 'factionId' },
      body: factionByPlayerBody,
      status: 204,
      tag: TAG,
      summary: "Disband (the leader): the treasury is paid out to the leader's wallet, every member leaves",
    },
  }),
  invite: defineOperation({
    subject: FactionsSubjects.invite,
    request: factionInviteRequest,
    reply: factionInviteView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, ALREADY_IN_FACTION],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/invites',
      params: { id: 'factionId' },
      body: factionInviteBody,
      status: 201,
      tag: TAG,
      summary: 'Invite a character (needs invite); it expires after FACTION_INVITE_TTL_HOURS',
    },
  }),
  withdrawInvite: defineOperation({
    subject: FactionsSubjects.withdrawInvite,
    request: withdrawFactionInviteRequest,
    reply: z.null(),
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'DELETE',
      path: '/v1/factions/{id}/invites/{playerId}',
      params: { id: 'factionId', playerId: 'playerId' },
      body: withdrawFactionInviteBody,
      status: 204,
      tag: TAG,
      summary: 'Withdraw a pending invitation (needs invite)',
    },
  }),
  join: defineOperation({
    subject: FactionsSubjects.join,
    request: factionPlayerRequest,
    reply: factionMemberView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, ALREADY_IN_FACTION, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/join',
      params: { id: 'factionId' },
      body: factionPlayerBody,
      status: 200,
      tag: TAG,
      summary: 'Join with a pending invitation, as a recruit (LIMIT_REACHED when full)',
    },
  }),
  leave: defineOperation({
    subject: FactionsSubjects.leave,
    request: factionPlayerRequest,
    reply: z.null(),
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/leave',
      params: { id: 'factionId' },
      body: factionPlayerBody,
      status: 204,
      tag: TAG,
      summary: 'Leave (the leader hands over or disbands first)',
    },
  }),
  kick: defineOperation({
    subject: FactionsSubjects.kick,
    request: factionKickRequest,
    reply: z.null(),
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/kick',
      params: { id: 'factionId' },
      body: factionKickBody,
      status: 204,
      tag: TAG,
      summary: 'Kick a member of a lower rank (needs kick)',
    },
  }),
  updateMember: defineOperation({
    subject: FactionsSubjects.updateMember,
    request: updateFactionMemberRequest,
    reply: factionMemberView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'PATCH',
      path: '/v1/factions/{id}/members/{playerId}',
      params: { id: 'factionId', playerId: 'playerId' },
      body: updateFactionMemberBody,
      status: 200,
      tag: TAG,
      summary:
        "Change a lower rank's rank or permissions (needs promote; never grants what the editor lacks)",
    },
  }),
  handOver: defineOperation({
    subject: FactionsSubjects.handOver,
    request: factionLeaderRequest,
    reply: factionWithMembersView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/leader',
      params: { id: 'factionId' },
      body: factionLeaderBody,
      status: 200,
      tag: TAG,
      summary: 'The leader hands over to another member and becomes an officer',
    },
  }),
  deposit: defineOperation({
    subject: FactionsSubjects.deposit,
    request: factionTreasuryRequest,
    reply: factionTreasuryView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, INSUFFICIENT_FUNDS],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/treasury/deposit',
      params: { id: 'factionId' },
      body: factionTreasuryBody,
      status: 200,
      tag: TAG,
      summary: "Move scrap from a member's wallet into the treasury (needs treasury_deposit)",
    },
  }),
  withdraw: defineOperation({
    subject: FactionsSubjects.withdraw,
    request: factionTreasuryRequest,
    reply: factionTreasuryView,
    principals: ACTORS,
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, INSUFFICIENT_FUNDS, LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/factions/{id}/treasury/withdraw',
      params: { id: 'factionId' },
      body: factionTreasuryBody,
      status: 200,
      tag: TAG,
      summary:
        "Move scrap from the treasury to a member's wallet (needs treasury_withdraw, per-rank daily limit)",
    },
  }),
  ledger: defineOperation({
    subject: FactionsSubjects.ledger,
    request: factionLedgerRequest,
    reply: factionLedgerView,
    principals: READERS,
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/factions/{id}/treasury/ledger',
      params: { id: 'factionId' },
      query: factionLedgerQuery,
      status: 200,
      tag: TAG,
      summary: "The treasury's ledger, newest first, keyset paged (a player: only its own faction's)",
    },
  }),
  /** The raid_alerts job: POSTs one raid alert to the defending faction's webhook. */
  deliverRaidAlert: defineOperation({
    subject: FactionsSubjects.deliverRaidAlert,
    request: deliverRaidAlertRequest,
    reply: raidAlertDeliveryView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
