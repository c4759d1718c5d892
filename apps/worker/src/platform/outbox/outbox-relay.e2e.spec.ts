import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { enqueueEvent } from '@trustno1/bus';
import { natsConnectOptions } from '@trustno1/config';
import { withTransaction } from '@trustno1/db';
import {
  appEnv,
  createTestDatabase,
  createTestNamespace,
  startApp,
  testInfra,
  type RunningApp,
  type TestDatabase,
  type TestNamespace,
} from '@trustno1/testing';

describe('worker: the outbox relay publishes committed events', () => {
  let db: TestDatabase;
  let ns: TestNamespace;
  let pool: Pool;
  let nc: NatsConnection;
  let worker: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    ns = createTestNamespace();
    pool = new Pool({ connectionString: db.url, max: 2 });
    nc = await connect(natsConnectOptions(testInfra().natsUrl));
  });
  afterAll(async () => {
    await worker?.kill();
    await (await jetstreamManager(nc)).streams.delete(ns.eventsStream).catch(() => false);
    await nc?.close();
    await pool?.end();
    await ns?.cleanup();
    await db?.drop();
  });

  const published = async (id: string) =>
    (await pool.query(`SELECT published_at FROM outbox WHERE id = $1`, [id])).rows[0]
      ?.published_at as Date | null;

  it('delivers an event committed before the worker started, once, under its own id', async () => {
    const id = await withTransaction(pool, (tx) =>
      enqueueEvent(tx, 'evt.accounts.character.created.v1', { characterId: 'c-1', accountId: 'a-1' }),
    );
    assert.equal(await published(id), null);
    worker = await startApp('worker', appEnv(db, ns));
    const deadline = Date.now() + 15_000;
    while (!(await published(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(await published(id), 'the relay marked the row published');

    const jsm = await jetstreamManager(nc);
    const stream = await jsm.streams.info(ns.eventsStream);
    assert.equal(stream.state.messages, 1);
    const message = await jsm.streams.getMessage(ns.eventsStream, { seq: stream.state.first_seq });
    assert.equal(message?.header?.get('Nats-Msg-Id'), id);
    assert.equal(message?.subject, `${ns.natsSubjectPrefix}evt.accounts.character.created.v1`);
    assert.deepEqual(message?.json(), { characterId: 'c-1', accountId: 'a-1' });
  });
});
