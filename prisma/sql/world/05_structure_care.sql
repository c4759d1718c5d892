-- world: damage, repair, upkeep and tool-cupboard authorization of a placed structure.

-- Returns {health, destroyed, containerInventoryId}; at zero the structure is destroyed.
CREATE OR REPLACE FUNCTION damage_structure(p_id uuid, p_amount double precision, p_attacker_id uuid,
                                 p_explosive boolean, p_now timestamptz, p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_health double precision;
    v_container uuid;
BEGIN
    PERFORM st_require(p_amount > 0 AND p_amount < 'Infinity', 'amount', 'must be positive');
    v := st_lock(p_id);
    v_health := greatest(0, v.health - p_amount);
    IF v_health <= 0 THEN
        v_container := st_destroy(v, 'damage', p_attacker_id, p_explosive, p_now, p_reference);
        RETURN jsonb_build_object('health', 0, 'destroyed', true, 'containerInventoryId', v_container);
    END IF;
    UPDATE structures SET health = v_health, last_damaged = p_now WHERE id = p_id;
    RETURN jsonb_build_object('health', v_health, 'destroyed', false, 'containerInventoryId', NULL);
END;
$$;

-- Adds health up to the maximum; returns the structure.
CREATE OR REPLACE FUNCTION repair_structure(p_id uuid, p_amount double precision)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
BEGIN
    PERFORM st_require(p_amount > 0 AND p_amount < 'Infinity', 'amount', 'must be positive');
    v := st_lock(p_id);
    UPDATE structures SET health = least(max_health, health + p_amount) WHERE id = p_id;
    RETURN structure_view(p_id);
END;
$$;

-- Pays upkeep up to p_paid_until (never shortening what was paid). Paying at a tool cupboard pays
-- for its base: every structure within its tc_range owned by one of its authorized players.
-- Decay pending up to p_now is applied first, so paying late does not forgive lapsed hours.
-- Returns the structure with {covered: structures whose upkeep moved}.
CREATE OR REPLACE FUNCTION pay_structure_upkeep(p_id uuid, p_paid_until timestamptz, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_ss structure_storage;
    v_ids uuid[];
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
    UPDATE structures SET upkeep_paid_until = greatest(upkeep_paid_until, p_paid_until)
     WHERE id = ANY (v_ids) AND (upkeep_paid_until IS NULL OR upkeep_paid_until < p_paid_until);
    GET DIAGNOSTICS v_covered = ROW_COUNT;
    IF NOT EXISTS (SELECT 1 FROM structures WHERE id = p_id) THEN
        -- Pending decay destroyed the structure paid for.
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('structureId', p_id, 'reason', 'DECAYED'));
    END IF;
    RETURN structure_view(p_id) || jsonb_build_object('covered', v_covered);
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
