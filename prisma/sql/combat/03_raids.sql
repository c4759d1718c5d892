-- combat: raids (issue 12). A raid is the attack of a base (the structures under one tool
-- cupboard, or a lone structure no cupboard covers) with explosives by someone who is neither one
-- of its defenders nor of its faction. world's evt.world.structure.damaged.v1 events open and extend
-- it (record_raid_damage, called by the combat service's durable consumer in the transaction that
-- marks the event processed, so each event counts once); the raids.close-idle schedule closes the
-- raids idle for RAID_IDLE_MINUTES (close_idle_raids), counting the loot raiders took from the
-- item ledger. Both write their event (evt.combat.raid.started.v1 / .ended.v1) to the outbox in
-- the same transaction.

-- A raid as the API shows it; NULL when there is no such raid.
CREATE OR REPLACE FUNCTION combat.raid_json(p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', r.id, 'structureId', r.structure_id, 'structure', r.structure_snapshot,
        'baseId', r.base_id, 'cupboardId', r.cupboard_id,
        'raiderFactionId', r.raider_faction_id, 'defenderFactionId', r.defender_faction_id,
        'startedAt', r.started_at, 'endedAt', r.ended_at, 'lastDamageAt', r.last_damage_at,
        'active', r.ended_at IS NULL, 'successful', r.successful,
        'damageDealt', COALESCE(r.damage_dealt, 0), 'explosivesUsed', COALESCE(r.explosives_used, '{}'),
        'lootTaken', r.loot_taken,
        'participants', COALESCE(r.participants, '{"raiders": [], "defenders": []}'),
        'offlineProtected', r.offline_protected, 'cupboardDestroyed', r.cupboard_destroyed)
      FROM combat.raid_logs r WHERE r.id = p_id;
$$;

-- The sorted union of two JSON arrays of strings.
CREATE OR REPLACE FUNCTION combat.raid_union(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(jsonb_agg(DISTINCT x ORDER BY x), '[]')
      FROM (SELECT jsonb_array_elements(COALESCE(a, '[]')) x
            UNION SELECT jsonb_array_elements(COALESCE(b, '[]'))) u
     WHERE jsonb_typeof(x) = 'string';
$$;

-- Opens or extends the raid on the damaged structure's base from one structure-damaged event
-- (p_event: its payload, see StructureDamagedEvent in libs/contracts). Damage that is not a raid
-- (not explosive, no attacker, the attacker a defender or of the base's faction) is ignored.
-- Returns {raidId, opened, ignored}.
CREATE OR REPLACE FUNCTION combat.record_raid_damage(p_event jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_attacker uuid := (p_event ->> 'attackerId')::uuid;
    v_attacker_faction uuid := (p_event ->> 'attackerFactionId')::uuid;
    v_faction uuid := (p_event ->> 'factionId')::uuid;
    v_structure uuid := (p_event ->> 'structureId')::uuid;
    v_cupboard uuid := (p_event ->> 'cupboardId')::uuid;
    v_defenders jsonb := COALESCE(p_event -> 'defenders', '[]');
    v_at timestamptz := (p_event ->> 'damagedAt')::timestamptz;
    v_damage double precision := COALESCE((p_event ->> 'damageApplied')::double precision, 0);
    v_type text := COALESCE(p_event ->> 'explosiveType', 'explosive');
    v_protected boolean := COALESCE((p_event ->> 'offlineProtected')::boolean, false);
    v_cupboard_destroyed boolean := COALESCE((p_event ->> 'destroyed')::boolean, false)
                                    AND v_structure = v_cupboard;
    v_storage uuid[] := ARRAY(SELECT jsonb_array_elements_text(COALESCE(p_event -> 'storageInventoryIds', '[]'))::uuid);
    v_base uuid := COALESCE(v_cupboard, v_structure);
    v_raid combat.raid_logs;
BEGIN
    IF p_event ->> 'damageType' IS DISTINCT FROM 'explosive' OR v_attacker IS NULL
       OR v_defenders ? v_attacker::text OR v_attacker = (p_event ->> 'ownerId')::uuid
       OR (v_faction IS NOT NULL AND v_attacker_faction IS NOT DISTINCT FROM v_faction) THEN
        RETURN jsonb_build_object('raidId', NULL, 'opened', false, 'ignored', true);
    END IF;
    -- One open raid per base (idx_raid_logs_open_base): a concurrent opener loses the insert and
    -- extends the winner's raid.
    INSERT INTO combat.raid_logs (id, structure_id, raider_faction_id, defender_faction_id, started_at,
                                  last_damage_at, damage_dealt, explosives_used, loot_taken, participants,
                                  structure_snapshot, base_id, cupboard_id, offline_protected,
                                  cupboard_destroyed, storage_inventory_ids)
    VALUES (gen_random_uuid(), v_structure, v_attacker_faction, v_faction, v_at, v_at, v_damage,
            jsonb_build_object(v_type, 1), NULL,
            jsonb_build_object('raiders', jsonb_build_array(v_attacker),
                               'defenders', combat.raid_union(v_defenders, '[]')),
            jsonb_build_object('id', v_structure, 'structureType', p_event ->> 'structureType',
                               'ownerId', p_event -> 'ownerId', 'factionId', p_event -> 'factionId',
                               'position', p_event -> 'position', 'maxHealth', p_event -> 'maxHealth'),
            v_base, v_cupboard, v_protected, v_cupboard_destroyed, v_storage)
    ON CONFLICT (base_id) WHERE ended_at IS NULL DO NOTHING
    RETURNING * INTO v_raid;
    IF v_raid.id IS NOT NULL THEN
        INSERT INTO outbox (id, subject, payload, headers, created_at)
        VALUES (gen_random_uuid(), 'evt.combat.raid.started.v1', jsonb_build_object(
            'raidId', v_raid.id, 'baseId', v_base, 'cupboardId', v_cupboard, 'structureId', v_structure,
            'raiderFactionId', v_attacker_faction, 'defenderFactionId', v_faction,
            'attackerId', v_attacker, 'defenders', v_raid.participants -> 'defenders',
            'position', p_event -> 'position', 'offlineProtected', v_protected, 'startedAt', v_at),
            '{}', clock_timestamp());
        PERFORM pg_notify('outbox_enqueued', '');
        RETURN jsonb_build_object('raidId', v_raid.id, 'opened', true, 'ignored', false);
    END IF;
    UPDATE combat.raid_logs r
       SET damage_dealt = COALESCE(r.damage_dealt, 0) + v_damage,
           explosives_used = jsonb_set(COALESCE(r.explosives_used, '{}'), ARRAY[v_type],
                                       to_jsonb(COALESCE((r.explosives_used ->> v_type)::int, 0) + 1)),
           participants = jsonb_build_object(
               'raiders', combat.raid_union(r.participants -> 'raiders', jsonb_build_array(v_attacker)),
               'defenders', combat.raid_union(r.participants -> 'defenders', v_defenders)),
           raider_faction_id = COALESCE(r.raider_faction_id, v_attacker_faction),
           defender_faction_id = COALESCE(r.defender_faction_id, v_faction),
           started_at = least(r.started_at, v_at),
           last_damage_at = greatest(r.last_damage_at, v_at),
           offline_protected = r.offline_protected OR v_protected,
           cupboard_destroyed = r.cupboard_destroyed OR v_cupboard_destroyed,
           storage_inventory_ids = ARRAY(SELECT DISTINCT s FROM unnest(COALESCE(r.storage_inventory_ids, '{}') || v_storage) s
                                          ORDER BY s)
     WHERE r.base_id = v_base AND r.ended_at IS NULL
    RETURNING * INTO v_raid;
    RETURN jsonb_build_object('raidId', v_raid.id, 'opened', false, 'ignored', false);
END;
$$;

-- Closes the open raids whose last damage is at least p_idle_minutes before p_now (at most
-- p_limit, oldest first, skipping raids another closer or the consumer holds): ended_at = p_now,
-- loot_taken = what the raiders moved out of the base's storage while it was open (inventory's
-- published items_taken), successful = the cupboard destroyed or loot taken, and
-- evt.combat.raid.ended.v1 to the outbox. Returns {closed, raids: [ids]}.
CREATE OR REPLACE FUNCTION combat.close_idle_raids(p_now timestamptz, p_idle_minutes double precision,
                                                   p_limit integer DEFAULT 500)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_raid combat.raid_logs;
    v_loot jsonb;
    v_ids uuid[] := '{}';
BEGIN
    FOR v_raid IN
        SELECT * FROM combat.raid_logs
         WHERE ended_at IS NULL AND last_damage_at <= p_now - p_idle_minutes * interval '1 minute'
         ORDER BY last_damage_at, id
         LIMIT p_limit
           FOR UPDATE SKIP LOCKED
    LOOP
        v_loot := inventory.items_taken(
            COALESCE(v_raid.storage_inventory_ids, '{}'),
            ARRAY(SELECT jsonb_array_elements_text(COALESCE(v_raid.participants -> 'raiders', '[]'))::uuid),
            v_raid.started_at, p_now);
        UPDATE combat.raid_logs
           SET ended_at = p_now, loot_taken = v_loot,
               successful = v_raid.cupboard_destroyed OR jsonb_array_length(v_loot) > 0
         WHERE id = v_raid.id
        RETURNING * INTO v_raid;
        INSERT INTO outbox (id, subject, payload, headers, created_at)
        VALUES (gen_random_uuid(), 'evt.combat.raid.ended.v1', jsonb_build_object(
            'raidId', v_raid.id, 'baseId', v_raid.base_id, 'cupboardId', v_raid.cupboard_id,
            'structureId', v_raid.structure_id, 'raiderFactionId', v_raid.raider_faction_id,
            'defenderFactionId', v_raid.defender_faction_id, 'successful', v_raid.successful,
            'cupboardDestroyed', v_raid.cupboard_destroyed, 'lootTaken', v_loot,
            'damageDealt', v_raid.damage_dealt, 'explosivesUsed', v_raid.explosives_used,
            'participants', v_raid.participants, 'startedAt', v_raid.started_at, 'endedAt', p_now),
            '{}', clock_timestamp());
        v_ids := v_ids || v_raid.id;
    END LOOP;
    IF cardinality(v_ids) > 0 THEN
        PERFORM pg_notify('outbox_enqueued', '');
    END IF;
    RETURN jsonb_build_object('closed', cardinality(v_ids), 'raids', to_jsonb(v_ids));
END;
$$;

-- Raids newest first, filtered: p_faction (raider or defender), p_structure (the structure first
-- hit or the base's cupboard), p_active (open or closed). p_visible: the factions a player may see
-- (raider or defender); NULL for servers and admins. At most p_limit rows.
CREATE OR REPLACE FUNCTION combat.list_raids(p_faction uuid, p_structure uuid, p_active boolean,
                                             p_visible uuid[], p_limit integer)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_agg(combat.raid_json(r.id) ORDER BY r.started_at DESC, r.id), '[]')
      FROM (SELECT * FROM combat.raid_logs r
             WHERE (p_faction IS NULL OR r.raider_faction_id = p_faction OR r.defender_faction_id = p_faction)
               AND (p_structure IS NULL OR r.structure_id = p_structure OR r.cupboard_id = p_structure)
               AND (p_active IS NULL OR (r.ended_at IS NULL) = p_active)
               AND (p_visible IS NULL OR r.raider_faction_id = ANY (p_visible)
                    OR r.defender_faction_id = ANY (p_visible))
             ORDER BY r.started_at DESC, r.id
             LIMIT p_limit) r;
$$;

-- The factions of an account's characters: a player sees the raids of these.
CREATE OR REPLACE FUNCTION combat.account_factions(p_account uuid) RETURNS uuid[]
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(DISTINCT faction_id), '{}')
      FROM accounts.players WHERE account_id = p_account AND faction_id IS NOT NULL;
$$;
