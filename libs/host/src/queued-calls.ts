/**
 * Requests answered 202 and run later (`Prefer: respond-async`, issue 12): the gateway pushes a
 * sealed call onto a Redis list, and one drainer of the owning service runs the calls in the
 * order accepted, crash-safely.
 *
 * Keys, all in one Redis Cluster slot (the braces are the hash tag of the queue's own name):
 * - `<queue>`: the calls waiting, oldest first (RPUSH by the gateway);
 * - `{<queue>}:processing`: the call being run (moved there with BLMOVE, removed when settled):
 *   a drainer that dies leaves it there, and the next one runs it again first;
 * - `{<queue>}:drainer`: the lease; one drainer at a time keeps the order;
 * - `{<queue>}:dead`: calls that can never run (bad seal, expired, refused by the service), with
 *   why, newest first, capped.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  admit,
  PRINCIPAL_HEADER,
  QueuedCallRefused,
  REQUEST_ID_HEADER,
  runWithRequestId,
  type QueuedCallSeal,
} from '@trustno1/bus';
import {
  AppError,
  ErrorCode,
  httpStatusOf,
  type AnyOperation,
  type Principal,
  type RequestOf,
} from '@trustno1/contracts';

export const queuedCallKeys = (queue: string) => ({
  queue,
  processing: `{${queue}}:processing`,
  lease: `{${queue}}:drainer`,
  dead: `{${queue}}:dead`,
});

/** Pushes only while the list is shorter than the limit; answers the new length, or -1 when full. */
const PUSH_BOUNDED = `
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
return redis.call('RPUSH', KEYS[1], ARGV[1])`;

/** Takes the lease, or keeps it when held already; 1 when this owner holds it. */
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** Gives the lease up when this owner holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The gateway's side: seal and push, refusing UNAVAILABLE when the list is full. */
export async function pushQueuedCall(
  redis: Redis,
  seal: QueuedCallSeal,
  opts: {
    queue: string;
    subject: string;
    principal: Principal;
    payload: unknown;
    maxLength: number;
    id?: string;
  },
): Promise<number> {
  const text = seal.seal(opts.subject, opts.principal, opts.payload, opts.id);
  const length = (await redis.eval(PUSH_BOUNDED, 1, opts.queue, text, String(opts.maxLength))) as number;
  if (length < 0) {
    throw new AppError(
      ErrorCode.UNAVAILABLE,
      'The queue is full: retry later, or send without Prefer: respond-async',
      {
        queue: opts.queue,
      },
    );
  }
  return length;
}

/** What became of one queued call. */
export type QueuedCallOutcome =
  | { kind: 'done'; id: string }
  | { kind: 'dead'; id: string | undefined; reason: string; code?: string }
  | { kind: 'retry'; id: string; error: unknown };

export interface QueuedCallDrainerOptions<O extends AnyOperation> {
  /** The app's client (for the lease and the lists); a duplicate of it does the blocking reads. */
  redis: Redis;
  queue: string;
  operation: O;
  seal: QueuedCallSeal;
  /** Runs one call as its sealed principal, after the kit's admission (principal kind, schema). */
  run(request: RequestOf<O>, principal: Principal, id: string): Promise<unknown>;
  /** How long the lease lasts without renewal (a dead drainer's successor waits this long). */
  leaseMs?: number;
  /** How long one blocking read waits for a call (seconds). */
  blockSeconds?: number;
  /** Backoff after a failure that may pass (the database unavailable): first and longest wait. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A call failing with an unexpected error this many times in a row goes to the dead letters. */
  maxAttempts?: number;
  /** How many dead letters are kept. */
  deadLetterCap?: number;
  onOutcome?(outcome: QueuedCallOutcome): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the calls of one queue, one at a time and in order, while it holds the queue's lease.
 * A call is moved to the processing list before it runs and removed only once it is settled (run,
 * or dead-lettered), so a process killed mid-call leaves it for the next drainer: calls must be
 * safe to run twice (hits are, by their hit ids).
 */
export class QueuedCallDrainer<O extends AnyOperation> {
  private readonly keys: ReturnType<typeof queuedCallKeys>;
  private readonly owner = randomUUID();
  private blocking: Redis | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private attempts = 0;
  private failedId: string | undefined;

  constructor(private readonly opts: QueuedCallDrainerOptions<O>) {
    this.keys = queuedCallKeys(opts.queue);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.blocking = this.opts.redis.duplicate();
    this.loop = this.drain();
  }

  /** Stops taking calls, lets the one running finish, and gives the lease up. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.blocking?.disconnect();
    await this.loop;
    await this.opts.redis.eval(RELEASE, 1, this.keys.lease, this.owner).catch(() => undefined);
  }

  private async drain(): Promise<void> {
    const leaseMs = this.opts.leaseMs ?? 10_000;
    while (this.running) {
      try {
        const held =
          (await this.opts.redis.eval(LEASE, 1, this.keys.lease, this.owner, String(leaseMs))) === 1;
        if (!held) {
          await sleep(Math.max(100, leaseMs / 4));
          continue;
        }
        // What a previous drainer left half done runs first, before anything newer.
        let text = await this.opts.redis.lindex(this.keys.processing, 0);
        if (text === null) {
          text = await this.blocking!.blmove(
            this.keys.queue,
            this.keys.processing,
            'LEFT',
            'RIGHT',
            this.opts.blockSeconds ?? 1,
          );
        }
        if (text === null || !this.running) continue;
        const outcome = await this.runOne(text);
        this.opts.onOutcome?.(outcome);
        if (outcome.kind === 'retry') {
          await sleep(this.backoff());
          continue;
        }
        if (outcome.kind === 'dead') {
          await this.opts.redis
            .multi()
            .lpush(
              this.keys.dead,
              JSON.stringify({
                reason: outcome.reason,
                code: outcome.code,
                at: new Date().toISOString(),
                call: text,
              }),
            )
            .ltrim(this.keys.dead, 0, (this.opts.deadLetterCap ?? 10_000) - 1)
            .exec();
        }
        await this.opts.redis.lrem(this.keys.processing, 1, text);
      } catch (error) {
        // Redis itself failed (or the blocking connection closed on stop): wait and try again.
        if (!this.running) break;
        this.opts.onOutcome?.({ kind: 'retry', id: 'redis', error });
        await sleep(this.backoff());
      }
    }
  }

  private backoff(): number {
    const first = this.opts.retryDelayMs ?? 200;
    return Math.min(this.opts.maxRetryDelayMs ?? 5_000, first * 2 ** Math.min(this.attempts, 10));
  }

  /** Opens, admits and runs one call; says what became of it. */
  private async runOne(text: string): Promise<QueuedCallOutcome> {
    let id: string | undefined;
    try {
      const call = this.opts.seal.open(text, this.opts.operation.subject);
      id = call.id;
      const headers = new Map([
        [PRINCIPAL_HEADER, JSON.stringify(call.principal)],
        [REQUEST_ID_HEADER, call.id],
      ]);
      const { request, call: admitted } = admit(this.opts.operation, call.payload, {
        get: (name: string) => headers.get(name) ?? '',
      });
      await runWithRequestId(call.id, () =>
        this.opts.run(request as RequestOf<O>, admitted.principal as Principal, call.id),
      );
      this.settled();
      return { kind: 'done', id: call.id };
    } catch (error) {
      if (error instanceof QueuedCallRefused) {
        this.settled();
        return { kind: 'dead', id, reason: error.reason };
      }
      // A refusal by the service (the victim gone, no access, bad input) is final; so is a call
      // that keeps failing unexpectedly. An unavailable dependency is waited out.
      if (error instanceof AppError && httpStatusOf(error.code) < 500) {
        this.settled();
        return { kind: 'dead', id, reason: 'REFUSED', code: error.code };
      }
      const transient = error instanceof AppError && error.code === ErrorCode.UNAVAILABLE;
      if (this.failedId !== id) {
        this.failedId = id;
        this.attempts = 0;
      }
      this.attempts += 1;
      if (!transient && this.attempts >= (this.opts.maxAttempts ?? 5)) {
        this.settled();
        return {
          kind: 'dead',
          id,
          reason: 'FAILED',
          code: error instanceof AppError ? error.code : 'INTERNAL',
        };
      }
      return { kind: 'retry', id: id ?? 'unknown', error };
    }
  }

  private settled(): void {
    this.attempts = 0;
    this.failedId = undefined;
  }
}
