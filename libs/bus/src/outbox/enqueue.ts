import { randomUUID } from 'node:crypto';
import { currentRequestId, REQUEST_ID_HEADER } from '../request-context';

/** Anything that runs a parameterised statement inside the caller's transaction (pg PoolClient). */
export interface SqlExecutor {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/** The raw-SQL surface of a Prisma interactive-transaction client. */
export interface PrismaRawExecutor {
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
}

/** PostgreSQL channel the relay LISTENs on to wake before its next poll. */
export const OUTBOX_CHANNEL = 'outbox_enqueued';

// One statement: the row and the wake-up notification (sent only on commit).
// clock_timestamp() keeps the order of several events written by one transaction.
const INSERT_SQL = `
  WITH ins AS (
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES ($1::uuid, $2, $3::jsonb, $4::jsonb, clock_timestamp())
    RETURNING id
  )
  SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM ins`;

/**
 * Writes an event to the outbox inside the caller's transaction, so it is
 * published if and only if the transaction commits. Returns the event id
 * (the `Nats-Msg-Id` consumers deduplicate on).
 */
export async function enqueueEvent(
  tx: SqlExecutor,
  subject: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<string> {
  assertEventSubject(subject);
  const [sql, params] = insertStatement(subject, payload, headers);
  await tx.query(sql, params);
  return params[0];
}

/** `enqueueEvent` for code holding a Prisma transaction client (`prisma.$transaction(async (tx) => …)`). */
export function enqueueEventPrisma(
  tx: PrismaRawExecutor,
  subject: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<string> {
  return enqueueEvent(
    { query: (sql, params) => tx.$executeRawUnsafe(sql, ...params) },
    subject,
    payload,
    headers,
  );
}

const EVENT_SUBJECT = /^evt\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.v[0-9]+$/;

// A subject outside the stream would be refused by JetStream forever and block the relay.
function assertEventSubject(subject: string): void {
  if (!EVENT_SUBJECT.test(subject)) {
    throw new Error(`Event subject "${subject}" is not evt.<domain>.<entity>.<past-tense>.v<n>`);
  }
}

function insertStatement(
  subject: string,
  payload: unknown,
  headers: Record<string, string>,
): [string, [string, string, string, string]] {
  const requestId = currentRequestId();
  // The request that caused the event stays traceable in its consumers' logs.
  const allHeaders =
    requestId && !(REQUEST_ID_HEADER in headers) ? { ...headers, [REQUEST_ID_HEADER]: requestId } : headers;
  // Explicit JSON: pg would turn a top-level array into a PostgreSQL array.
  return [INSERT_SQL, [randomUUID(), subject, JSON.stringify(payload ?? null), JSON.stringify(allHeaders)]];
}
