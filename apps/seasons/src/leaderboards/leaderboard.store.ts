import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { LeaderboardEntryView } from '@trustno1/contracts';
import { REDIS, RedisKeys, type Leaderboard } from '@trustno1/redis';
import type { ScoredEntity } from './boards';

/** What a board's state HASH holds: when it was built or last moved, and its period if any. */
export interface BoardState {
  updatedAt: string;
  from?: string;
  to?: string;
}

export type StoredPage =
  | { status: 'missing' }
  | { status: 'absent'; state: BoardState }
  | { status: 'ok'; state: BoardState; entries: LeaderboardEntryView[] };

/** A rebuild's aside keys expire if its process dies before the swap. */
const BUILD_TTL_SECONDS = 600;
const CHUNK = 1_000;

// One round trip per read. KEYS: scores, names, state. ARGV: the period the caller expects ('' for
// boards without one), then 'range' start stop, or 'around' member radius. Returns {0} when the
// board is missing or of another period (the caller rebuilds it), {1, state...} when the member is
// not on the board, else {2, updatedAt, from, to, id, score, name, rank, ...}.
const READ_SCRIPT = `
local meta = redis.call('HMGET', KEYS[3], 'updatedAt', 'from', 'to')
if not meta[1] then return {0} end
if ARGV[1] ~= '' and meta[2] ~= ARGV[1] then return {0} end
local head = {meta[1], meta[2] or '', meta[3] or ''}
local start, stop
if ARGV[2] == 'around' then
  local r = redis.call('ZREVRANK', KEYS[1], ARGV[3])
  if not r then return {1, head[1], head[2], head[3]} end
  local radius = tonumber(ARGV[4])
  start = r - radius
  if start < 0 then start = 0 end
  stop = r + radius
else
  start = tonumber(ARGV[3])
  stop = tonumber(ARGV[4])
end
local range = redis.call('ZREVRANGE', KEYS[1], start, stop, 'WITHSCORES')
local out = {2, head[1], head[2], head[3]}
local prevScore = nil
local prevRank = 0
for i = 1, #range, 2 do
  local id = range[i]
  local score = range[i + 1]
  local rank
  if score == prevScore then rank = prevRank
  else rank = redis.call('ZCOUNT', KEYS[1], '(' .. score, '+inf') + 1 end
  prevScore = score
  prevRank = rank
  out[#out + 1] = id
  out[#out + 1] = score
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
  out[#out + 1] = rank
end
return out
`;

// A kill moves the killer's absolute counts in, never an increment, so a redelivered event writes
// the same numbers. Applied only to a board of the kill's period (a board of another period, or a
// flushed one, is rebuilt from PostgreSQL by the next read). KEYS: scores, names, state. ARGV: the
// period's start, member, score, name, updatedAt. GT: a slower, older count never lowers a newer one.
const KILL_SCRIPT = `
if redis.call('HGET', KEYS[3], 'from') ~= ARGV[1] then return 0 end
redis.call('ZADD', KEYS[1], 'GT', ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
redis.call('HSET', KEYS[3], 'updatedAt', ARGV[5])
return 1
`;

/** The boards in Redis: built aside and swapped in, read a page at a time. */
@Injectable()
export class LeaderboardStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /**
   * Writes the whole board under keys of its own, then swaps them in with RENAME inside one
   * MULTI: a reader sees the old board or the new one, never a half-built one. Every key shares
   * the board's slot (hash tag), so the swap also holds on a Redis Cluster.
   */
  async swapIn(board: Leaderboard, entities: readonly ScoredEntity[], state: BoardState): Promise<void> {
    const build = randomUUID().replace(/-/g, '');
    const aside = {
      scores: RedisKeys.leaderboardBuilding(board, build, 'scores'),
      names: RedisKeys.leaderboardBuilding(board, build, 'names'),
      meta: RedisKeys.leaderboardBuilding(board, build, 'meta'),
    };
    for (let i = 0; i < entities.length; i += CHUNK) {
      const chunk = entities.slice(i, i + CHUNK);
      const write = this.redis.pipeline();
      write.zadd(aside.scores, ...chunk.flatMap((e) => [e.score, e.id]));
      write.hset(aside.names, ...chunk.flatMap((e) => [e.id, e.name]));
      write.expire(aside.scores, BUILD_TTL_SECONDS);
      write.expire(aside.names, BUILD_TTL_SECONDS);
      failed(await write.exec());
    }
    const fields: string[] = ['updatedAt', state.updatedAt];
    if (state.from) fields.push('from', state.from, 'to', state.to ?? '');
    failed(
      await this.redis
        .pipeline()
        .hset(aside.meta, ...fields)
        .expire(aside.meta, BUILD_TTL_SECONDS)
        .exec(),
    );

    const scores = RedisKeys.leaderboard(board);
    const names = RedisKeys.leaderboardNames(board);
    const meta = RedisKeys.leaderboardMeta(board);
    const swap = this.redis.multi();
    if (entities.length > 0) {
      swap.rename(aside.scores, scores).persist(scores).rename(aside.names, names).persist(names);
    } else {
      swap.del(scores, names);
    }
    swap.rename(aside.meta, meta).persist(meta);
    failed(await swap.exec());
  }

  /** Entries `start`..`stop` (0-based, inclusive) of a board of the expected period. */
  async range(board: Leaderboard, period: string, start: number, stop: number): Promise<StoredPage> {
    return this.read(board, period, ['range', String(start), String(stop)]);
  }

  /** `id`'s entry with `radius` neighbours on each side. */
  async around(board: Leaderboard, period: string, id: string, radius: number): Promise<StoredPage> {
    return this.read(board, period, ['around', id, String(radius)]);
  }

  /** Sets the killer's count on a kill board of the kill's period; false when the board is not of it. */
  async setKills(
    board: Leaderboard,
    period: string,
    entity: ScoredEntity,
    updatedAt: string,
  ): Promise<boolean> {
    const applied = await this.redis.eval(
      KILL_SCRIPT,
      3,
      RedisKeys.leaderboard(board),
      RedisKeys.leaderboardNames(board),
      RedisKeys.leaderboardMeta(board),
      period,
      entity.id,
      String(entity.score),
      entity.name,
      updatedAt,
    );
    return applied === 1;
  }

  private async read(board: Leaderboard, period: string, args: string[]): Promise<StoredPage> {
    const reply = (await this.redis.eval(
      READ_SCRIPT,
      3,
      RedisKeys.leaderboard(board),
      RedisKeys.leaderboardNames(board),
      RedisKeys.leaderboardMeta(board),
      period,
      ...args,
    )) as (string | number)[];
    if (reply[0] === 0) return { status: 'missing' };
    const state: BoardState = { updatedAt: String(reply[1]) };
    if (reply[2]) {
      state.from = String(reply[2]);
      state.to = String(reply[3]);
    }
    if (reply[0] === 1) return { status: 'absent', state };
    const entries: LeaderboardEntryView[] = [];
    for (let i = 4; i < reply.length; i += 4) {
      entries.push({
        id: String(reply[i]),
        score: Number(reply[i + 1]),
        name: String(reply[i + 2]),
        rank: Number(reply[i + 3]),
      });
    }
    return {
      status: 'ok',
      state,
      entries: entries.map(({ rank, id, name, score }) => ({ rank, id, name, score })),
    };
  }
}

function failed(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('leaderboard write aborted');
  const error = results.find(([err]) => err)?.[0];
  if (error) throw error;
}
