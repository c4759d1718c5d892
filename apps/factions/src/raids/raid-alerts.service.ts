import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { RaidAlertDeliveryView, RaidStartedEvent } from '@trustno1/contracts';
import { PG_POOL } from '@trustno1/db';
import { FACTIONS_CONFIG, type FactionsConfig } from '../factions-config';
import { raidAlertMessage } from './raid-alert-message';
import { postJson, resolveWebhookTarget, WebhookRefusedError } from './webhook-target';

interface DeliveryRow {
  deliveryId: string;
  factionId: string;
  status: RaidAlertDeliveryView['status'];
  event: RaidStartedEvent;
  factionName: string;
  factionTag: string;
  /** The current webhook; null when removed, disabled or the faction disbanded. */
  webhook: string | null;
}

type Outcome = 'delivered' | 'failed' | 'refused' | 'skipped';

/**
 * Sends one raid alert (the worker's raid_alerts job calls factions.raid-alert.deliver.v1). No row
 * lock is held while the POST runs: the delivery is read, posted, then the attempt recorded
 * (factions.record_alert_attempt), which counts failures in a row and disables the webhook at
 * WEBHOOK_MAX_FAILURES.
 */
@Injectable()
export class RaidAlertsService {
  private readonly logger = new Logger('raid-alerts');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(FACTIONS_CONFIG) private readonly config: FactionsConfig,
  ) {}

  async deliver(deliveryId: string, finalAttempt: boolean): Promise<RaidAlertDeliveryView> {
    const { rows } = await this.pool.query<{ d: DeliveryRow | null }>(
      'SELECT factions.raid_alert_delivery($1::uuid) AS d',
      [deliveryId],
    );
    const row = rows[0]?.d;
    // The consumer enqueues before its transaction commits: a job may run before the row shows.
    if (!row) return { status: 'missing', retry: !finalAttempt, error: 'no such delivery (yet)' };
    // Delivered (or given up) already: a job run again sends nothing.
    if (row.status !== 'pending') return { status: row.status, retry: false, error: null };
    if (!row.webhook) {
      return this.record(row, null, 'skipped', 'the faction has no webhook now', finalAttempt);
    }
    let target;
    try {
      target = await resolveWebhookTarget(row.webhook, { allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE });
    } catch (error) {
      if (!(error instanceof WebhookRefusedError)) throw error;
      this.logger.warn({ deliveryId, factionId: row.factionId, reason: error.message }, 'raid alert refused');
      return this.record(row, row.webhook, 'refused', error.message, finalAttempt);
    }
    const result = await postJson(target, raidAlertMessage(row));
    return this.record(row, row.webhook, result.ok ? 'delivered' : 'failed', result.error, finalAttempt);
  }

  private async record(
    row: DeliveryRow,
    webhook: string | null,
    outcome: Outcome,
    error: string | null,
    finalAttempt: boolean,
  ): Promise<RaidAlertDeliveryView> {
    const { rows } = await this.pool.query<{
      r: { status: RaidAlertDeliveryView['status']; disabled: boolean };
    }>('SELECT factions.record_alert_attempt($1::uuid, $2, $3, $4, $5, $6) AS r', [
      row.deliveryId,
      webhook,
      outcome,
      error,
      finalAttempt,
      this.config.WEBHOOK_MAX_FAILURES,
    ]);
    const recorded = rows[0].r;
    if (recorded.disabled) {
      this.logger.warn(
        { factionId: row.factionId, error },
        'raid alert webhook disabled after repeated failures',
      );
    }
    return { status: recorded.status, retry: recorded.status === 'pending', error };
  }
}
