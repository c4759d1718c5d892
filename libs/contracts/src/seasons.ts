/**
 * Seasons domain contract: subjects, payload schemas, views and error codes of the seasons
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `SeasonsOps` as its issue lands.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView } from './world';

/**
 * The codes the seasons SQL functions raise (raise_error in prisma/sql/seasons/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const SeasonsErrors = {
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  CONFLICT: ErrorCode.CONFLICT,
} as const satisfies { [K in ErrorCode]?: K };
const { NOT_FOUND, CONFLICT } = SeasonsErrors;

const uuid = z.uuid({ message: 'must be a UUID' });

// ---- leaderboards (issue 15) ---------------------------------------------------------------------

/** The boards as the API names them, each with its Redis board (libs/redis LEADERBOARDS). */
export const BOARD_NAMES = ['kills-daily', 'kills-weekly', 'wealth', 'playtime', 'faction-power'] as const;
export type BoardName = (typeof BOARD_NAMES)[number];
export const REDIS_BOARD = {
  'kills-daily': 'kills:daily',
  'kills-weekly': 'kills:weekly',
  wealth: 'wealth',
  playtime: 'playtime',
  'faction-power': 'faction:power',
} as const satisfies Record<BoardName, string>;

export const LEADERBOARD_MAX_LIMIT = 100;
export const LEADERBOARD_DEFAULT_LIMIT = 25;
export const LEADERBOARD_MAX_RADIUS = 25;
export const LEADERBOARD_DEFAULT_RADIUS = 5;
/** The deepest page: offset + limit stays within the first 100,000 entries. */
export const LEADERBOARD_MAX_OFFSET = 100_000;

const boardSchema = z.enum(BOARD_NAMES, { message: `must be one of ${BOARD_NAMES.join(', ')}` });
const boardParam = {
  field: 'board',
  schema: boardSchema,
  description: `one of ${BOARD_NAMES.join(', ')}`,
};

/** A non-negative integer as it arrives in a query string: plain decimal digits only. */
const queryInt = (min: number, max: number) =>
  z
    .string({ message: 'must be an integer' })
    .regex(/^[0-9]{1,7}$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const requestInt = (min: number, max: number) =>
  z
    .int({ message: 'must be an integer' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const leaderboardQuery = z.strictObject({
  limit: queryInt(1, LEADERBOARD_MAX_LIMIT).optional(),
  offset: queryInt(0, LEADERBOARD_MAX_OFFSET).optional(),
});
export const leaderboardRequest = z.strictObject({
  board: boardSchema,
  limit: requestInt(1, LEADERBOARD_MAX_LIMIT).optional(),
  offset: requestInt(0, LEADERBOARD_MAX_OFFSET).optional(),
});
export type LeaderboardRequest = z.infer<typeof leaderboardRequest>;

export const leaderboardAroundQuery = z.strictObject({
  radius: queryInt(0, LEADERBOARD_MAX_RADIUS).optional(),
});
export const leaderboardAroundRequest = z.strictObject({
  board: boardSchema,
  id: uuid,
  radius: requestInt(0, LEADERBOARD_MAX_RADIUS).optional(),
});
export type LeaderboardAroundRequest = z.infer<typeof leaderboardAroundRequest>;

export const leaderboardEntryView = z.object({
  /** Competition ranking: equal scores share a rank (1, 2, 2, 4). */
  rank: z.int(),
  /** A character's id, or a faction's on faction-power. */
  id: z.uuid(),
  name: z.string(),
  score: z.number(),
});
export type LeaderboardEntryView = z.infer<typeof leaderboardEntryView>;

export const leaderboardView = z.object({
  board: boardSchema,
  /** The kill boards' period: the UTC day or the ISO week (Monday 00:00 UTC), end excluded. */
  period: z.object({ from: timestampView, to: timestampView }).optional(),
  updatedAt: timestampView,
  entries: z.array(leaderboardEntryView),
});
export type LeaderboardView = z.infer<typeof leaderboardView>;

export const rebuildLeaderboardsRequest = z.strictObject({
  /** The schedule's tick: the kill boards' period is the one containing it. */
  now: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
});
export const rebuildLeaderboardsView = z.object({
  boards: z.array(z.object({ board: boardSchema, entries: z.int() })),
});
export type RebuildLeaderboardsView = z.infer<typeof rebuildLeaderboardsView>;

export const seasonsStatusQuery = z.strictObject({});
export const seasonsStatusRequest = seasonsStatusQuery;

export const seasonsStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type SeasonsStatusView = z.infer<typeof seasonsStatusView>;

// ---- seasons (issue 15) --------------------------------------------------------------------------

export const WIPE_LEVELS = ['none', 'map', 'full'] as const;
export type WipeLevel = (typeof WIPE_LEVELS)[number];

export const seasonView = z.object({
  id: z.uuid(),
  name: z.string(),
  /** What the start of this season wiped. */
  wipe: z.enum(WIPE_LEVELS),
  startedAt: timestampView,
  /** null for the current season. */
  endedAt: timestampView.nullable(),
});
export type SeasonView = z.infer<typeof seasonView>;

export const listSeasonsQuery = z.strictObject({});
export const listSeasonsRequest = listSeasonsQuery;
export const seasonsView = z.object({ seasons: z.array(seasonView) });
export type SeasonsView = z.infer<typeof seasonsView>;

export const seasonBoardRequest = z.strictObject({
  seasonId: uuid,
  board: boardSchema,
  limit: requestInt(1, LEADERBOARD_MAX_LIMIT).optional(),
  offset: requestInt(0, LEADERBOARD_MAX_OFFSET).optional(),
});
export type SeasonBoardRequest = z.infer<typeof seasonBoardRequest>;
export const seasonBoardView = z.object({
  board: boardSchema,
  season: seasonView,
  entries: z.array(leaderboardEntryView),
});
export type SeasonBoardView = z.infer<typeof seasonBoardView>;

export const startSeasonBody = z.strictObject({
  name: z
    .string({ message: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters'),
  wipe: z.enum(WIPE_LEVELS, { message: `must be one of ${WIPE_LEVELS.join(', ')}` }),
  /** When the next season starts; now when left out. Not in the past. */
  startsAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});
export const startSeasonRequest = startSeasonBody;
export type StartSeasonRequest = z.infer<typeof startSeasonRequest>;
export const startSeasonView = z.object({
  ended: seasonView,
  started: seasonView,
  /** Entries frozen per board (API board names). */
  archived: z.record(z.string(), z.int()),
});
export type StartSeasonView = z.infer<typeof startSeasonView>;

export const SeasonsSubjects = {
  getStatus: 'seasons.status.get.v1',
  getLeaderboard: 'seasons.leaderboard.get.v1',
  getLeaderboardAround: 'seasons.leaderboard.around.v1',
  rebuildLeaderboards: 'seasons.leaderboard.rebuild.v1',
  listSeasons: 'seasons.season.list.v1',
  getSeasonBoard: 'seasons.season.leaderboard.get.v1',
  startSeason: 'seasons.season.start.v1',
} as const;

const TAG = 'seasons';

export const SeasonsOps = {
  getStatus: defineOperation({
    subject: SeasonsSubjects.getStatus,
    request: seasonsStatusRequest,
    reply: seasonsStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/seasons/status',
      query: seasonsStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The seasons service as its database sees it: its schema and how many functions it publishes',
    },
  }),
  getLeaderboard: defineOperation({
    subject: SeasonsSubjects.getLeaderboard,
    request: leaderboardRequest,
    reply: leaderboardView,
    principals: ['player', 'server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/leaderboards/{board}',
      params: { board: boardParam },
      query: leaderboardQuery,
      status: 200,
      tag: TAG,
      summary: 'One page of a leaderboard, best first (limit 1-100, default 25)',
    },
  }),
  getLeaderboardAround: defineOperation({
    subject: SeasonsSubjects.getLeaderboardAround,
    request: leaderboardAroundRequest,
    reply: leaderboardView,
    principals: ['player', 'server', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/leaderboards/{board}/around/{id}',
      params: { board: boardParam, id: 'id' },
      query: leaderboardAroundQuery,
      status: 200,
      tag: TAG,
      summary:
        "A character's (or faction's) entry and up to `radius` (0-25, default 5) neighbours on each side",
    },
  }),
  /** The worker's hourly leaderboards.recompute: every board rebuilt aside and swapped. */
  rebuildLeaderboards: defineOperation({
    subject: SeasonsSubjects.rebuildLeaderboards,
    request: rebuildLeaderboardsRequest,
    reply: rebuildLeaderboardsView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
  listSeasons: defineOperation({
    subject: SeasonsSubjects.listSeasons,
    request: listSeasonsRequest,
    reply: seasonsView,
    principals: ['player', 'server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/seasons',
      query: listSeasonsQuery,
      status: 200,
      tag: TAG,
      summary: 'Every season with its start and end, the newest first (the current one has endedAt null)',
    },
  }),
  getSeasonBoard: defineOperation({
    subject: SeasonsSubjects.getSeasonBoard,
    request: seasonBoardRequest,
    reply: seasonBoardView,
    principals: ['player', 'server', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/seasons/{id}/leaderboards/{board}',
      params: { id: 'seasonId', board: boardParam },
      query: leaderboardQuery,
      status: 200,
      tag: TAG,
      summary: "One page of an ended season's frozen standings of a board",
    },
  }),
  startSeason: defineOperation({
    subject: SeasonsSubjects.startSeason,
    request: startSeasonRequest,
    reply: startSeasonView,
    principals: ['admin'],
    idempotent: true,
    errors: [CONFLICT],
    http: {
      method: 'POST',
      path: '/v1/admin/seasons',
      body: startSeasonBody,
      status: 201,
      tag: TAG,
      summary:
        'End the current season (its boards frozen into the archive) and start the next, in one transaction',
    },
  }),
} as const;
