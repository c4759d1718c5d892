import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { JsMsg } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import { enqueueEvent } from '../outbox/enqueue';
import { OutboxRelay } from '../outbox/relay';
import { createBusTestEnv, quietLogger, waitFor } from '../testing/bus-test-env';
import type { BusTestEnv } from '../testing/bus-test-env';
import { applyEffect, EFFECTS_DDL } from '../testing/effects';
import { EventConsumer } from './event-consumer';
import type { EventConsumerOptions } from './event-consumer';

/** Records what it acks, to prove a redelivery really happened. */
class RecordingConsumer extends EventConsumer {
  readonly acks: { id: string; deliveryCount: number }[] = [];
  protected override ack(msg: JsMsg): void {
    this.acks.push({ id: msg.headers?.get('Nats-Msg-Id') ?? '', deliveryCount: msg.info.deliveryCount });
    super.ack(msg);
  }
}

describe('idempotent event consumer', () => {
  let env: BusTestEnv;
  let relay: OutboxRelay;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    env = await createBusTestEnv(EFFECTS_DDL);
    relay = new OutboxRelay({
      pool: env.pool,
      natsUrl: env.natsUrl,
      streamName: env.streamName,
      subjectPrefix: env.prefix,
      logger: quietLogger,
    });
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await relay?.stop();
    await env?.cleanup();
  });

  async function publish(subject: string, payload: unknown): Promise<string> {
    const client = await env.pool.connect();
    try {
      const id = await enqueueEvent(client, subject, payload); // autocommit: its own transaction
      await relay.drainOnce();
      return id;
    } finally {
      client.release();
    }
  }

  async function startConsumer(
    opts: Partial<EventConsumerOptions<unknown>> & { name: string; filterSubject: string },
  ) {
    const consumer = new RecordingConsumer({
      pool: env.pool,
      natsUrl: env.natsUrl,
      streamName: env.streamName,
      subjectPrefix: env.prefix,
      handler: applyEffect,
      logger: quietLogger,
      ...opts,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  it('a consumer killed after commit and before ack applies the event once', async () => {
    const subject = 'evt.test.crash.happened.v1';
    const id = await publish(subject, { hp: 0 });

    const exit = await runDyingConsumer(env, 'crash_consumer', subject);
    assert.equal(exit.signal, 'SIGKILL', `child must die at ack, got ${JSON.stringify(exit)}`);
    assert.equal(await effectsOf(env.pool, id), 1, 'the child committed its effect');

    let handlerCalls = 0;
    const survivor = await startConsumer({
      name: 'crash_consumer',
      filterSubject: subject,
      ackWaitMs: 1_000,
      handler: async (event, tx) => {
        handlerCalls++;
        await applyEffect(event, tx);
      },
    });
    await waitFor(() => survivor.acks.some((a) => a.id === id), 10_000, 'redelivery');
    const ack = survivor.acks.find((a) => a.id === id);
    assert.ok(ack && ack.deliveryCount >= 2, 'the event came back after ack_wait');
    assert.equal(handlerCalls, 0, 'the processed marker short-circuits the handler');
    assert.equal(await effectsOf(env.pool, id), 1);
  });

  it('a failing handler is retried and its partial writes roll back', async () => {
    const subject = 'evt.test.retry.happened.v1';
    let attempts = 0;
    const consumer = await startConsumer({
      name: 'retry_consumer',
      filterSubject: subject,
      nakDelayMs: 100,
      handler: async (event, tx) => {
        await applyEffect(event, tx);
        if (++attempts === 1) throw new Error('deadlock detected'); // after writing
      },
    });
    const id = await publish(subject, { x: 1 });
    await waitFor(() => consumer.acks.some((a) => a.id === id), 10_000, 'retry');
    assert.equal(attempts, 2);
    assert.equal(await effectsOf(env.pool, id), 1);
  });

  it('only sees its filter subject and strips the prefix for the handler', async () => {
    const seen: string[] = [];
    const consumer = await startConsumer({
      name: 'filter_consumer',
      filterSubject: 'evt.test.filter.*.v1',
      handler: async (event) => {
        seen.push(event.subject);
      },
    });
    await publish('evt.test.other.happened.v1', {});
    const id = await publish('evt.test.filter.happened.v1', {});
    await waitFor(() => consumer.acks.some((a) => a.id === id), 10_000, 'filtered event');
    assert.deepEqual(seen, ['evt.test.filter.happened.v1']);
  });
});

async function effectsOf(pool: Pool, id: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM effects WHERE event_id = $1',
    [id],
  );
  return rows[0].n;
}

function runDyingConsumer(
  env: BusTestEnv,
  name: string,
  subject: string,
): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, '../testing/dying-consumer.ts')],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        NATS_URL: env.natsUrl,
        STREAM: env.streamName,
        PREFIX: env.prefix,
        CONSUMER: name,
        FILTER: subject,
        ACK_WAIT_MS: '1000',
      },
    },
  );
  const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}
