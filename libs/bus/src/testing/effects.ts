import type { PoolClient } from 'pg';
import type { BusEvent } from '../consumer/decode';

/** A table without a unique key, so a second application of an event shows as a second row. */
export const EFFECTS_DDL = `CREATE TABLE effects (event_id uuid NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`;

/** The side effect test consumers apply inside the event's transaction. */
export async function applyEffect(event: BusEvent, tx: PoolClient): Promise<void> {
  await tx.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id]);
}
