-- world: damage, repair, upkeep and tool-cupboard authorization of a placed structure.

-- Damage to a structure. At zero health it is destroyed (st_destroy). Explosive damage is raid
-- damage: it is scaled by p_offline_scale when no defender of the base (the cupboard's owner and
-- authorized players, the structure's owner) and no member of the base's faction has been online
-- within p_offline_grace_minutes (offline-raid protection; a scale of 1 turns it off), and
-- evt.world.structure.damaged.v1 goes to the outbox in the same transaction, for combat's raid log.
-- Returns {health, destroyed, containerInventoryId, damageApplied, offlineProtected}.
CREATE OR REPLACE FUNCTION damage_structure(p_id uuid, p_amount double precision, p_attacker_id uuid,
                                 p_explosive boolean, p_explosive_type varchar,
                                 p_offline_grace_minutes double precision, p_offline_scale double precision,
                                 p_now timestamptz, p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_health double precision;
    v_container uuid;
    v_explosive boolean := COALESCE(p_explosive, false);
    v_amount double precision := p_amount;
    v_protected boolean := false;
    v_ss structure_storage;
    v_cupboard structures;
    v_defenders uuid[] := '{}';
    v_storage uuid[] := '{}';
    v_faction uuid;
    v_attacker_faction uuid;
BEGIN
    PERFORM st_require(p_amount > 0 AND p_amount < 'Infinity', 'amount', 'must be positive');
    v := st_lock(p_id);
    IF v_explosive THEN
        v_ss := st_paying_cupboard(v);
        IF v_ss.structure_id IS NOT NULL THEN
            SELECT * INTO v_cupboard FROM structures WHERE id = v_ss.structure_id;
            v_defenders := ARRAY[v.owner_id, v_cupboard.owner_id] || COALESCE(v_ss.authorized_players, '{}');
            v_storage := st_base_storage(v_cupboard, v_ss);
        ELSE
            v_defenders := ARRAY[v.owner_id];
            v_storage := ARRAY(SELECT inventory_id FROM structure_storage
                                WHERE structure_id = v.id AND inventory_id IS NOT NULL);
        END IF;
        v_defenders := ARRAY(SELECT DISTINCT d FROM unnest(v_defenders) d WHERE d IS NOT NULL ORDER BY d);
        v_faction := COALESCE(v.faction_id, v_cupboard.faction_id);
        IF p_offline_scale < 1 AND st_base_offline(v_defenders, v_faction,
                                                    p_now - p_offline_grace_minutes * interval '1 minute') THEN
            v_protected := true;
            v_amount := p_amount * greatest(0, p_offline_scale);
        END IF;
        IF p_attacker_id IS NOT NULL THEN
            SELECT faction_id INTO v_attacker_faction FROM accounts.players WHERE id = p_attacker_id;
        END IF;
    END IF;
    v_health := greatest(0, v.health - v_amount);
    IF v_health <= 0 THEN
        v_container := st_destroy(v, 'damage', p_attacker_id, v_explosive, p_now, p_reference);
        IF v_container IS NOT NULL THEN
            v_storage := v_storage || v_container;
        END IF;
    ELSE
        UPDATE structures SET health = v_health, last_damaged = p_now WHERE id = p_id;
    END IF;
    IF v_explosive THEN
        INSERT INTO outbox (id, subject, payload, headers, created_at)
        VALUES (gen_random_uuid(), 'evt.world.structure.damaged.v1', jsonb_build_object(
            'structureId', v.id, 'structureType', v.structure_type, 'ownerId', v.owner_id,
            'factionId', v_faction, 'cupboardId', v_ss.structure_id, 'defenders', to_jsonb(v_defenders),
            'attackerId', p_attacker_id, 'attackerFactionId', v_attacker_faction,
            'damageType', 'explosive', 'explosiveType', COALESCE(p_explosive_type, 'explosive'),
            'damageRequested', p_amount, 'damageApplied', v_amount, 'offlineProtected', v_protected,
            'health', v_health, 'maxHealth', v.max_health, 'destroyed', v_health <= 0,
            'storageInventoryIds', to_jsonb(v_storage), 'chunkX', v.chunk_x, 'chunkZ', v.chunk_z,
            'position', v.position, 'damagedAt', p_now), '{}', clock_timestamp());
        PERFORM pg_notify('outbox_enqueued', '');
    END IF;
    RETURN jsonb_build_object('health', v_health, 'destroyed', v_health <= 0, 'containerInventoryId', v_container,
                              'damageApplied', v_amount, 'offlineProtected', v_protected);
END;
$$;

-- The storage inventories of a cupboard's base: every structure within its tc_range owned by its
-- owner or one of its authorized players (the base an upkeep payment covers), the cupboard included.
CREATE OR REPLACE FUNCTION st_base_storage(c structures, ss structure_storage) RETURNS uuid[]
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(b.inventory_id ORDER BY b.inventory_id), '{}')
      FROM structures s JOIN structure_storage b ON b.structure_id = s.id
     WHERE b.inventory_id IS NOT NULL
       AND s.chunk_x BETWEEN st_chunk_of((c.position ->> 'x')::double precision - COALESCE(ss.tc_range, 30.0))
                         AND st_chunk_of((c.position ->> 'x')::double precision + COALESCE(ss.tc_range, 30.0))
       AND s.chunk_z BETWEEN st_chunk_of((c.position ->> 'z')::double precision - COALESCE(ss.tc_range, 30.0))
                         AND st_chunk_of((c.position ->> 'z')::double precision + COALESCE(ss.tc_range, 30.0))
       AND (s.owner_id = c.owner_id OR s.owner_id = ANY (COALESCE(ss.authorized_players, '{}')))
       AND power((s.position ->> 'x')::double precision - (c.position ->> 'x')::double precision, 2)
         + power((s.position ->> 'z')::double precision - (c.position ->> 'z')::double precision, 2)
           <= power(COALESCE(ss.tc_range, 30.0), 2);
$$;

-- Offline-raid protection's test: nobody of p_defenders and no member of p_faction is online, nor
-- was seen since p_since (accounts.players: is_online, last_seen).
CREATE OR REPLACE FUNCTION st_base_offline(p_defenders uuid[], p_faction uuid, p_since timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM accounts.players p
         WHERE (p.id = ANY (p_defenders) OR (p_faction IS NOT NULL AND p.faction_id = p_faction))
           AND (p.is_online IS TRUE OR p.last_seen > p_since));
$$;

-- The tool cupboard whose storage pays for a structure: a cupboard pays for itself; any other
-- structure is paid for by the nearest cupboard (ties by id) within whose tc_range it stands and
-- that its owner may use (the cupboard's owner, or on its authorized_players), the same base a
-- payment at that cupboard covers. NULL when no cupboard covers it. The search spans every chunk
-- within 128 units (the largest tc_range) through idx_structures_tool_cupboards.
CREATE OR REPLACE FUNCTION st_paying_cupboard(v structures) RETURNS structure_storage
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_x double precision := (v.position ->> 'x')::double precision;
    v_z double precision := (v.position ->> 'z')::double precision;
    v_ss structure_storage;
BEGIN
    IF v.structure_type = 'tool_cupboard' THEN
        SELECT * INTO v_ss FROM structure_storage WHERE structure_id = v.id;
        RETURN v_ss;
    END IF;
    SELECT ss.* INTO v_ss
      FROM structures c JOIN structure_storage ss ON ss.structure_id = c.id
     WHERE c.structure_type = 'tool_cupboard'
       AND c.chunk_x BETWEEN st_chunk_of(v_x - 128) AND st_chunk_of(v_x + 128)
       AND c.chunk_z BETWEEN st_chunk_of(v_z - 128) AND st_chunk_of(v_z + 128)
       AND (c.owner_id = v.owner_id OR v.owner_id = ANY (COALESCE(ss.authorized_players, '{}')))
       AND power((c.position ->> 'x')::double precision - v_x, 2)
         + power((c.position ->> 'z')::double precision - v_z, 2) <= power(COALESCE(ss.tc_range, 30.0), 2)
     ORDER BY power((c.position ->> 'x')::double precision - v_x, 2)
            + power((c.position ->> 'z')::double precision - v_z, 2), c.id
     LIMIT 1;
    RETURN v_ss;
END;
$$;

-- Takes p_cost ([{itemTemplateId, amount}], amounts whole) out of the storage of the cupboard
-- paying for p_s, through inventory's take_items (one 'consume' item_ledger row per stack, with
-- p_reason and p_reference), or raises INSUFFICIENT_RESOURCES (422) naming what is missing
-- (reason NO_CUPBOARD when no cupboard covers the structure; MISSING_ITEMS with {missing}), so
-- the caller's transaction changes nothing. A cost of nothing takes nothing and needs no cupboard.
CREATE OR REPLACE FUNCTION st_charge(p_s structures, p_cost jsonb, p_reason varchar, p_reference varchar)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_ss structure_storage;
    v_taken jsonb;
BEGIN
    IF COALESCE(jsonb_array_length(p_cost), 0) = 0 THEN
        RETURN;
    END IF;
    v_ss := st_paying_cupboard(p_s);
    IF v_ss.structure_id IS NULL THEN
        PERFORM raise_error('INSUFFICIENT_RESOURCES', jsonb_build_object('structureId', p_s.id,
            'reason', 'NO_CUPBOARD', 'cost', p_cost));
    END IF;
    v_taken := inventory.take_items(v_ss.inventory_id, p_cost, p_reason, p_reference);
    IF NOT (v_taken ->> 'taken')::boolean THEN
        PERFORM raise_error('INSUFFICIENT_RESOURCES', jsonb_build_object('structureId', p_s.id,
            'reason', 'MISSING_ITEMS', 'cupboardId', v_ss.structure_id, 'inventoryId', v_ss.inventory_id,
            'cost', p_cost, 'missing', v_taken -> 'missing'));
    END IF;
END;
$$;

-- Whole amounts of p_rates ([{itemTemplateId, amount}]) times p_factor, rounded up, zeros left
-- out (a millionth of noise is not rounded up to one more item).
CREATE OR REPLACE FUNCTION st_scaled_cost(p_rates jsonb, p_factor double precision) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(jsonb_agg(jsonb_build_object('itemTemplateId', t, 'amount', n) ORDER BY t), '[]')
      FROM (SELECT e ->> 'itemTemplateId' AS t,
                   ceil(round((sum((e ->> 'amount')::numeric) * p_factor::numeric), 6))::int AS n
              FROM jsonb_array_elements(COALESCE(p_rates, '[]')) e GROUP BY 1) c
     WHERE n > 0;
$$;

-- Adds health up to the maximum, paying for what is healed: p_costs maps a structure type to the
-- items a repair from zero to full health takes ([{itemTemplateId, amount}], the catalog's
-- `repair`); a repair of h health takes ceil(amount × h / max_health) of each, out of the paying
-- cupboard's storage (st_charge: 422 INSUFFICIENT_RESOURCES and nothing changed when it is not
-- there). A structure at full health heals nothing and pays nothing. Returns the structure.
CREATE OR REPLACE FUNCTION repair_structure(p_id uuid, p_amount double precision, p_costs jsonb,
                                            p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_healed double precision;
BEGIN
    PERFORM st_require(p_amount > 0 AND p_amount < 'Infinity', 'amount', 'must be positive');
    v := st_lock(p_id);
    v_healed := least(p_amount, v.max_health - v.health);
    IF v_healed > 0 THEN
        PERFORM st_charge(v, st_scaled_cost(p_costs -> v.structure_type, v_healed / v.max_health),
                          'repair', p_reference);
        UPDATE structures SET health = least(max_health, health + v_healed) WHERE id = p_id;
    END IF;
    RETURN structure_view(p_id);
END;
$$;

-- Pays upkeep up to p_paid_until (never shortening what was paid). Paying at a tool cupboard pays
-- for its base: every structure within its tc_range owned by one of its authorized players.
-- Decay pending up to p_now is applied first, so paying late does not forgive lapsed hours.
-- The payment is taken from the paying cupboard's storage (st_charge): p_costs maps a structure
-- type to its upkeep per 24 h (the catalog's `upkeep`); each structure whose upkeep moves costs
-- its rate times the days it gains, from max(now, its paid-until) to p_paid_until, summed over the
-- base and rounded up once per item. Not there: 422 INSUFFICIENT_RESOURCES and nothing changes (the
-- pending decay included). Returns the structure with {covered: structures whose upkeep moved}.
CREATE OR REPLACE FUNCTION pay_structure_upkeep(p_id uuid, p_paid_until timestamptz, p_now timestamptz,
                                                p_costs jsonb, p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_ss structure_storage;
    v_ids uuid[];
    v_cost jsonb;
    v_covered integer;
BEGIN
    PERFORM st_require(p_paid_until > p_now, 'paidUntil', 'must be in the future');
    v := st_lock(p_id);
    v_ids := ARRAY[p_id];
    IF v.structure_type = 'tool_cupboard' THEN
        SELECT * INTO v_ss FROM structure_storage WHERE structure_id = p_id;
        SELECT array_agg(s.id ORDER BY s.id) INTO v_ids
          FROM structures s
         WHERE s.id = p_id OR (
               s.chunk_x BETWEEN st_chunk_of((v.position ->> 'x')::double precision - v_ss.tc_range)
                             AND st_chunk_of((v.position ->> 'x')::double precision + v_ss.tc_range)
           AND s.chunk_z BETWEEN st_chunk_of((v.position ->> 'z')::double precision - v_ss.tc_range)
                             AND st_chunk_of((v.position ->> 'z')::double precision + v_ss.tc_range)
           AND s.owner_id = ANY (COALESCE(v_ss.authorized_players, '{}'))
           AND power((s.position ->> 'x')::double precision - (v.position ->> 'x')::double precision, 2)
             + power((s.position ->> 'z')::double precision - (v.position ->> 'z')::double precision, 2)
               <= power(v_ss.tc_range, 2));
    END IF;
    PERFORM st_decay_ids(v_ids, p_now, NULL);
    IF NOT EXISTS (SELECT 1 FROM structures WHERE id = p_id) THEN
        -- Pending decay destroyed the structure paid for.
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('structureId', p_id, 'reason', 'DECAYED'));
    END IF;
    -- Summed over the base per item, then rounded up once.
    SELECT st_scaled_cost(jsonb_agg(jsonb_build_object('itemTemplateId', e ->> 'itemTemplateId',
                                                       'amount', (e ->> 'amount')::double precision * l.days)), 1)
      INTO v_cost
      FROM (SELECT s.structure_type,
                   extract(epoch FROM p_paid_until - greatest(p_now, COALESCE(s.upkeep_paid_until, p_now)))
                   / 86400.0 AS days
              FROM structures s
             WHERE s.id = ANY (v_ids) AND (s.upkeep_paid_until IS NULL OR s.upkeep_paid_until < p_paid_until)) l,
           jsonb_array_elements(COALESCE(p_costs -> l.structure_type, '[]')) e;
    PERFORM st_charge(v, v_cost, 'upkeep', p_reference);
    UPDATE structures SET upkeep_paid_until = greatest(upkeep_paid_until, p_paid_until)
     WHERE id = ANY (v_ids) AND (upkeep_paid_until IS NULL OR upkeep_paid_until < p_paid_until);
    GET DIAGNOSTICS v_covered = ROW_COUNT;
    RETURN structure_view(p_id) || jsonb_build_object('covered', v_covered, 'cost', v_cost);
END;
$$;

-- Adds or removes a player on a cupboard's authorized_players (each at most once); the owner
-- stays authorized by ownership whatever the list says.
CREATE OR REPLACE FUNCTION set_cupboard_authorization(p_id uuid, p_player_id uuid, p_authorized boolean)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
BEGIN
    PERFORM st_require(p_player_id IS NOT NULL, 'playerId', 'required');
    v := st_lock(p_id);
    IF v.structure_type <> 'tool_cupboard' THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'structureId',
            'problem', 'not a tool cupboard'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts.players WHERE id = p_player_id) THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    UPDATE structure_storage
       SET authorized_players = CASE
           WHEN p_authorized THEN array_append(array_remove(COALESCE(authorized_players, '{}'), p_player_id), p_player_id)
           ELSE array_remove(COALESCE(authorized_players, '{}'), p_player_id) END
     WHERE structure_id = p_id;
    RETURN structure_view(p_id);
END;
$$;
