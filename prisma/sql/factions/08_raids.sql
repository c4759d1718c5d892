-- factions: reputation from won raids (issue 14, rule 4) and raid alerts (rule 6). Called by the
-- factions service's consumers of combat's evt.combat.raid.ended.v1 / .started.v1 in the
-- transaction that marks the event processed (libs/bus EventConsumer), and by the raid alert
-- delivery (factions.raid-alert.deliver.v1, run by the worker's raid_alerts queue).

-- Reputation from a won raid (docs/factions.md): on a successful raid the raiding faction gains
-- 15 and the defending faction loses 10 (nothing when both are one faction), never below 0; a disbanded faction's
-- stays as it was. Claimed once per raid in factions.raid_reputation, so a second event for the
-- same raid (or a redelivery) changes nothing. Returns what it did.
CREATE OR REPLACE FUNCTION factions.record_raid_reputation(p_event jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_raid uuid := (p_event ->> 'raidId')::uuid;
    v_raider uuid := (p_event ->> 'raiderFactionId')::uuid;
    v_defender uuid := (p_event ->> 'defenderFactionId')::uuid;
    v_gained int := 0;
    v_lost int := 0;
BEGIN
    IF v_raid IS NULL OR (p_event ->> 'successful') IS DISTINCT FROM 'true' THEN
        RETURN jsonb_build_object('applied', false);
    END IF;
    IF v_raider IS NOT NULL AND v_defender IS NOT DISTINCT FROM v_raider THEN
        RETURN jsonb_build_object('applied', false);
    END IF;
    INSERT INTO factions.raid_reputation (raid_id, raider_faction_id, defender_faction_id, raider_gain, defender_loss)
    VALUES (v_raid, v_raider, v_defender, 0, 0)
    ON CONFLICT (raid_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('applied', false);
    END IF;
    UPDATE factions.factions SET reputation = COALESCE(reputation, 0) + 15
     WHERE id = v_raider AND disbanded_at IS NULL;
    IF FOUND THEN v_gained := 15; END IF;
    WITH before AS (
        SELECT id, COALESCE(reputation, 0) AS rep FROM factions.factions
         WHERE id = v_defender AND disbanded_at IS NULL FOR UPDATE
    )
    UPDATE factions.factions f SET reputation = greatest(0, b.rep - 10)
      FROM before b WHERE f.id = b.id
    RETURNING b.rep - greatest(0, b.rep - 10) INTO v_lost;
    UPDATE factions.raid_reputation SET raider_gain = v_gained, defender_loss = COALESCE(v_lost, 0)
     WHERE raid_id = v_raid;
    RETURN jsonb_build_object('applied', true, 'raiderGain', v_gained, 'defenderLoss', COALESCE(v_lost, 0));
END;
$$;

-- A raid alert for a started raid: when the defending faction has a webhook (not disabled, not
-- disbanded) and its base had no alert within p_cooldown_minutes, records a pending
-- alert_deliveries row (one per faction and raid) and answers its id; otherwise NULL. The base's
-- cooldown row is claimed in the same statement, so two raids on one base never both alert.
CREATE OR REPLACE FUNCTION factions.plan_raid_alert(p_event jsonb, p_cooldown_minutes int) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_faction uuid := (p_event ->> 'defenderFactionId')::uuid;
    v_base uuid := (p_event ->> 'baseId')::uuid;
    v_raid uuid := (p_event ->> 'raidId')::uuid;
    v_id uuid;
BEGIN
    IF v_faction IS NULL OR v_base IS NULL OR v_raid IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM factions.factions
     WHERE id = v_faction AND disbanded_at IS NULL AND discord_webhook IS NOT NULL
       AND webhook_disabled_at IS NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO factions.raid_alert_bases AS b (base_id, last_alert_at) VALUES (v_base, now())
    ON CONFLICT (base_id) DO UPDATE SET last_alert_at = EXCLUDED.last_alert_at
     WHERE b.last_alert_at <= now() - make_interval(mins => p_cooldown_minutes);
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO factions.alert_deliveries (faction_id, raid_id, base_id, status, payload)
    VALUES (v_faction, v_raid, v_base, 'pending', p_event)
    ON CONFLICT (faction_id, raid_id) DO NOTHING
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

-- What a delivery attempt needs: the delivery, its faction's name, tag and current webhook.
-- NULL when there is no such delivery.
CREATE OR REPLACE FUNCTION factions.raid_alert_delivery(p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'deliveryId', d.id, 'factionId', d.faction_id, 'raidId', d.raid_id, 'baseId', d.base_id,
        'status', d.status, 'attempts', d.attempts, 'event', d.payload,
        'factionName', f.name, 'factionTag', f.tag,
        'webhook', CASE WHEN f.disbanded_at IS NULL AND f.webhook_disabled_at IS NULL
                        THEN f.discord_webhook END)
      FROM factions.alert_deliveries d JOIN factions.factions f ON f.id = d.faction_id
     WHERE d.id = p_id;
$$;

-- Records one delivery attempt. p_outcome: delivered, failed (the POST failed; the job retries
-- unless p_final), refused (a private address), skipped (no webhook any more). A failed POST to
-- the faction's current webhook counts toward WEBHOOK_MAX_FAILURES in a row (p_max_failures); the
-- one that reaches it disables the webhook (webhook_disabled_at, webhook_disabled_reason: what the
-- faction reads in its record). A delivered one resets the count. Returns {status, disabled}.
CREATE OR REPLACE FUNCTION factions.record_alert_attempt(
    p_id uuid, p_webhook text, p_outcome text, p_error text, p_final boolean, p_max_failures int
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_delivery factions.alert_deliveries%ROWTYPE;
    v_failures int;
    v_disabled boolean := false;
    v_status text;
BEGIN
    SELECT * INTO v_delivery FROM factions.alert_deliveries WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p_outcome = 'failed' THEN
        UPDATE factions.factions SET webhook_failures = webhook_failures + 1
         WHERE id = v_delivery.faction_id AND discord_webhook = p_webhook AND webhook_disabled_at IS NULL
        RETURNING webhook_failures INTO v_failures;
        IF v_failures >= p_max_failures THEN
            UPDATE factions.factions
               SET webhook_disabled_at = now(),
                   webhook_disabled_reason = 'disabled after ' || v_failures
                       || ' failed raid alert deliveries in a row; last error: ' || left(p_error, 300)
             WHERE id = v_delivery.faction_id;
            v_disabled := true;
        END IF;
        v_status := CASE WHEN p_final OR v_disabled THEN 'failed' ELSE 'pending' END;
    ELSIF p_outcome = 'delivered' THEN
        UPDATE factions.factions SET webhook_failures = 0
         WHERE id = v_delivery.faction_id AND discord_webhook = p_webhook;
        v_status := 'delivered';
    ELSE
        v_status := p_outcome;
    END IF;
    UPDATE factions.alert_deliveries
       SET status = v_status,
           attempts = attempts + CASE WHEN p_outcome IN ('delivered', 'failed') THEN 1 ELSE 0 END,
           last_error = CASE WHEN p_outcome = 'delivered' THEN last_error ELSE p_error END,
           updated_at = now(),
           delivered_at = CASE WHEN p_outcome = 'delivered' THEN now() ELSE delivered_at END
     WHERE id = p_id;
    RETURN jsonb_build_object('status', v_status, 'disabled', v_disabled);
END;
$$;
