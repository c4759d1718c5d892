// Child process for the crash test: applies one event, commits, and is SIGKILLed
// before it can ack, exactly like a pod killed at the worst moment.
import type { JsMsg } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { EventConsumer } from '../consumer/event-consumer';
import { applyEffect } from './effects';

class DiesBeforeAck extends EventConsumer {
  protected override ack(_msg: JsMsg): void {
    process.kill(process.pid, 'SIGKILL');
  }
}

async function main(): Promise<void> {
  const env = (k: string) => process.env[k] ?? '';
  const pool = new Pool({ connectionString: env('DATABASE_URL') });
  const consumer = new DiesBeforeAck({
    pool,
    natsUrl: env('NATS_URL'),
    name: env('CONSUMER'),
    filterSubject: env('FILTER'),
    streamName: env('STREAM'),
    subjectPrefix: env('PREFIX'),
    ackWaitMs: Number(env('ACK_WAIT_MS')),
    handler: applyEffect,
  });
  await consumer.start();
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
