-- World structures (issue 5): placement under the build rule (SPEC §4), tool cupboards, damage,
-- repair, upkeep, destruction and decay (apply_structure_decay, SPEC §3). The world service is the
-- only writer of structures and structure_storage, and only through these functions.
--
-- Errors: SQLSTATE P0001, MESSAGE = a stable code the world service maps one to one to its
-- AppError code (BUILD_BLOCKED, LIMIT_REACHED, NOT_FOUND, VALIDATION_FAILED, FORBIDDEN),
-- DETAIL = a JSON object with the particulars (st_fail). Errors of transfer_item (moving a
-- destroyed structure's storage) keep the inventory codes.
--
-- Geometry: distances are horizontal (x, z), like chunks and territories: a cupboard protects a
-- vertical cylinder of radius tc_range, so a tower cannot climb out of its reach.

-- --- columns ----------------------------------------------------------------------------------

-- The instant decay was last applied: decay covers (decay_applied_at, now], so a decay job that
-- runs twice for one tick applies it once, and ticks can be missed without losing decay.
ALTER TABLE structures ADD COLUMN decay_applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW();
-- Health lost per hour of lapsed upkeep, fixed at placement from the catalog
-- (decayPerHour = max health / DECAY_HOURS_BY_TIER[tier], libs/world-domain): a structure keeps
-- the rule it was built under, and the procedure needs no copy of the catalog.
ALTER TABLE structures ADD COLUMN decay_per_hour FLOAT NOT NULL DEFAULT 0;
UPDATE structures SET decay_applied_at = COALESCE(created_at, NOW());

ALTER TABLE structures ADD CONSTRAINT structures_health_check
    CHECK (max_health > 0 AND health > 0 AND health <= max_health AND decay_per_hour >= 0);

-- Cupboards are found around every placement, in chunks that may hold 10,000 structures each.
CREATE INDEX idx_structures_tool_cupboards ON structures(chunk_x, chunk_z) WHERE structure_type = 'tool_cupboard';

-- --- helpers -----------------------------------------------------------------------------------

CREATE FUNCTION st_fail(p_code text, p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_code, DETAIL = COALESCE(p_detail, '{}')::text;
END;
$$;

CREATE FUNCTION st_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM st_fail('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

-- The API's structure shape (contracts world-structures.ts StructureView).
CREATE FUNCTION structure_json(s structures, ss structure_storage) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', s.id, 'chunkX', s.chunk_x, 'chunkZ', s.chunk_z, 'structureType', s.structure_type,
        'position', s.position, 'rotation', s.rotation, 'ownerId', s.owner_id, 'factionId', s.faction_id,
        'health', s.health, 'maxHealth', s.max_health, 'buildData', s.build_data,
        'permissions', s.permissions, 'upkeepPaidUntil', s.upkeep_paid_until,
        'decayProtection', COALESCE(s.decay_protection, true), 'decayPerHour', s.decay_per_hour,
        'createdAt', s.created_at, 'lastDamaged', s.last_damaged,
        'storage', CASE WHEN ss.structure_id IS NULL THEN NULL ELSE jsonb_build_object(
            'inventoryId', ss.inventory_id,
            'authorizedPlayers', to_jsonb(COALESCE(ss.authorized_players, '{}')),
            'tcRange', ss.tc_range) END);
$$;

CREATE FUNCTION structure_view(p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT structure_json(s, ss) FROM structures s
      LEFT JOIN structure_storage ss ON ss.structure_id = s.id
     WHERE s.id = p_id;
$$;

CREATE FUNCTION st_lock(p_id uuid) RETURNS structures
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
BEGIN
    SELECT * INTO v FROM structures WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM st_fail('NOT_FOUND', jsonb_build_object('structureId', p_id));
    END IF;
    RETURN v;
END;
$$;

-- Chunk index of a world coordinate: floor(v / 128), CHUNK_SIZE of libs/world-domain.
CREATE FUNCTION st_chunk_of(p_v double precision) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT floor(p_v / 128.0)::integer;
$$;

-- --- destruction ---------------------------------------------------------------------------------

-- Destroys a locked structure: its storage items move (one 'move' ledger row each, reason
-- 'structure_destroyed') into a new 'container' inventory of the same grid, owned by the
-- destroyed structure's id, every item at its own cell; the storage inventory, now empty, and the
-- rows go; evt.world.structure.destroyed.v1 tells everyone, with the container to spawn at the
-- structure's position. Returns the container id, NULL when there was nothing to keep.
CREATE FUNCTION st_destroy(p_s structures, p_cause text, p_attacker uuid, p_explosive boolean,
                           p_now timestamptz, p_reference text)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_storage structure_storage;
    v_inv inventories;
    v_container uuid;
    v_item record;
BEGIN
    SELECT * INTO v_storage FROM structure_storage WHERE structure_id = p_s.id FOR UPDATE;
    IF FOUND AND v_storage.inventory_id IS NOT NULL THEN
        SELECT * INTO v_inv FROM inventories WHERE id = v_storage.inventory_id FOR NO KEY UPDATE;
        IF EXISTS (SELECT 1 FROM inventory_items WHERE inventory_id = v_inv.id) THEN
            v_container := gen_random_uuid();
            INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked)
            VALUES (v_container, p_s.id, 'container', v_inv.grid_width, v_inv.grid_height, NULL, false);
            FOR v_item IN
                SELECT id, grid_x, grid_y FROM inventory_items WHERE inventory_id = v_inv.id ORDER BY grid_y, grid_x
            LOOP
                PERFORM transfer_item(v_item.id, v_container, v_item.grid_x, v_item.grid_y, NULL,
                                      v_inv.lock_code, v_inv.id, 'structure_destroyed', p_reference);
            END LOOP;
        END IF;
    END IF;
    IF v_storage.structure_id IS NOT NULL THEN
        DELETE FROM structure_storage WHERE structure_id = p_s.id;
        IF v_storage.inventory_id IS NOT NULL THEN
            DELETE FROM inventories WHERE id = v_storage.inventory_id;
        END IF;
    END IF;
    DELETE FROM structures WHERE id = p_s.id;
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), 'evt.world.structure.destroyed.v1', jsonb_build_object(
        'structureId', p_s.id, 'structureType', p_s.structure_type, 'ownerId', p_s.owner_id,
        'factionId', p_s.faction_id, 'chunkX', p_s.chunk_x, 'chunkZ', p_s.chunk_z,
        'position', p_s.position, 'cause', p_cause, 'attackerId', p_attacker,
        'explosive', COALESCE(p_explosive, false), 'containerInventoryId', v_container,
        'destroyedAt', p_now), '{}', clock_timestamp());
    -- Wakes the outbox relay at commit, as libs/bus enqueueEvent does.
    PERFORM pg_notify('outbox_enqueued', '');
    RETURN v_container;
END;
$$;

-- --- placement ---------------------------------------------------------------------------------

-- Places a structure, or refuses it, in one transaction:
--   * advisory locks on every chunk the search window touches (the point's chunk and the chunks
--     within p_tc_range of it), taken in (x, z) order so placements never deadlock: two
--     placements that could see each other's cupboard share at least one of these locks, and the
--     count of the point's chunk cannot change while it is checked, so the limit is exact;
--   * LIMIT_REACHED at p_chunk_limit structures in the chunk;
--   * BUILD_BLOCKED (reason TOOL_CUPBOARD) within tc_range of a cupboard of another owner unless
--     the builder is on its authorized_players; cupboards of neighbouring chunks count;
--   * BUILD_BLOCKED (reason TERRITORY) inside a territory with building_allowed = false that the
--     builder's faction does not own (an unowned forbidden territory is nobody's to build on);
--   * storage types get their structure_storage and a new 'structure' inventory;
--     authorized_players = {builder}; tc_range = p_tc_range for a cupboard.
-- p_tc_range is also the search window: cupboards keep the range they were placed with, so the
-- configured range must not shrink below an existing cupboard's (it is at most 128, one chunk).
CREATE FUNCTION place_structure(
    p_id uuid, p_owner_id uuid, p_faction_id uuid, p_structure_type varchar,
    p_position jsonb, p_rotation jsonb, p_build_data jsonb, p_permissions jsonb,
    p_max_health double precision, p_decay_per_hour double precision, p_decay_protection boolean,
    p_tool_cupboard boolean, p_storage_width integer, p_storage_height integer,
    p_tc_range double precision, p_chunk_limit integer, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_x double precision;
    v_z double precision;
    v_cx integer;
    v_cz integer;
    v_player_faction uuid;
    v_count integer;
    v_blocker record;
    v_inventory uuid;
    v_s structures;
    v_ss structure_storage;
BEGIN
    PERFORM st_require(p_id IS NOT NULL, 'id', 'required');
    PERFORM st_require(p_owner_id IS NOT NULL, 'ownerId', 'required');
    PERFORM st_require(p_structure_type IS NOT NULL, 'structureType', 'required');
    PERFORM st_require(jsonb_typeof(p_position -> 'x') = 'number' AND jsonb_typeof(p_position -> 'y') = 'number'
        AND jsonb_typeof(p_position -> 'z') = 'number', 'position', 'must be {x, y, z} numbers');
    PERFORM st_require(jsonb_typeof(p_rotation) = 'object', 'rotation', 'must be {x, y, z, w}');
    PERFORM st_require(jsonb_typeof(p_build_data) = 'object', 'buildData', 'must be an object');
    PERFORM st_require(jsonb_typeof(p_permissions) = 'object', 'permissions', 'must be an object');
    PERFORM st_require(p_max_health > 0, 'maxHealth', 'must be positive');
    PERFORM st_require(p_decay_per_hour >= 0, 'decayPerHour', 'must not be negative');
    PERFORM st_require(p_tc_range > 0 AND p_tc_range <= 128, 'tcRange', 'between 0 and 128');
    PERFORM st_require(p_chunk_limit >= 1, 'chunkLimit', 'at least 1');
    PERFORM st_require((p_storage_width IS NULL) = (p_storage_height IS NULL)
        AND (p_storage_width IS NULL OR (p_storage_width > 0 AND p_storage_height > 0)),
        'storage', 'both sides positive, or neither');
    PERFORM st_require(NOT p_tool_cupboard OR p_storage_width IS NOT NULL, 'storage', 'a cupboard has storage');
    v_x := (p_position ->> 'x')::double precision;
    v_z := (p_position ->> 'z')::double precision;
    v_cx := st_chunk_of(v_x);
    v_cz := st_chunk_of(v_z);

    SELECT faction_id INTO v_player_faction FROM players WHERE id = p_owner_id;
    IF NOT FOUND THEN
        PERFORM st_fail('NOT_FOUND', jsonb_build_object('ownerId', p_owner_id));
    END IF;
    IF p_faction_id IS NOT NULL AND p_faction_id IS DISTINCT FROM v_player_faction THEN
        PERFORM st_fail('VALIDATION_FAILED', jsonb_build_object('field', 'factionId',
            'problem', 'the owner is not a member of this faction'));
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('structures.chunk:' || c.x || ':' || c.z, 0))
       FROM (SELECT gx AS x, gz AS z
               FROM generate_series(st_chunk_of(v_x - p_tc_range), st_chunk_of(v_x + p_tc_range)) gx,
                    generate_series(st_chunk_of(v_z - p_tc_range), st_chunk_of(v_z + p_tc_range)) gz
              ORDER BY gx, gz) c;

    SELECT count(*) INTO v_count FROM structures WHERE chunk_x = v_cx AND chunk_z = v_cz;
    IF v_count >= p_chunk_limit THEN
        PERFORM st_fail('LIMIT_REACHED', jsonb_build_object('limit', p_chunk_limit, 'chunkX', v_cx,
            'chunkZ', v_cz, 'reason', 'STRUCTURES_PER_CHUNK'));
    END IF;

    SELECT s.id, s.owner_id, sqrt(power((s.position ->> 'x')::double precision - v_x, 2)
                                + power((s.position ->> 'z')::double precision - v_z, 2)) AS distance
      INTO v_blocker
      FROM structures s JOIN structure_storage ss ON ss.structure_id = s.id
     WHERE s.structure_type = 'tool_cupboard'
       AND s.chunk_x BETWEEN st_chunk_of(v_x - p_tc_range) AND st_chunk_of(v_x + p_tc_range)
       AND s.chunk_z BETWEEN st_chunk_of(v_z - p_tc_range) AND st_chunk_of(v_z + p_tc_range)
       AND s.owner_id IS DISTINCT FROM p_owner_id
       AND NOT (p_owner_id = ANY (COALESCE(ss.authorized_players, '{}')))
       AND power((s.position ->> 'x')::double precision - v_x, 2)
         + power((s.position ->> 'z')::double precision - v_z, 2) <= power(COALESCE(ss.tc_range, 30.0), 2)
     ORDER BY 3 LIMIT 1;
    IF FOUND THEN
        PERFORM st_fail('BUILD_BLOCKED', jsonb_build_object('reason', 'TOOL_CUPBOARD',
            'cupboardId', v_blocker.id, 'distance', v_blocker.distance));
    END IF;

    SELECT t.id, t.owner_faction_id INTO v_blocker
      FROM territories t
     WHERE t.building_allowed IS FALSE
       AND (t.owner_faction_id IS NULL OR p_faction_id IS NULL OR t.owner_faction_id <> p_faction_id)
       AND power(v_x - t.center_x, 2) + power(v_z - t.center_z, 2) <= power(t.radius, 2)
     ORDER BY t.id LIMIT 1;
    IF FOUND THEN
        PERFORM st_fail('BUILD_BLOCKED', jsonb_build_object('reason', 'TERRITORY',
            'territoryId', v_blocker.id, 'ownerFactionId', v_blocker.owner_faction_id));
    END IF;

    INSERT INTO structures (id, chunk_x, chunk_z, position, rotation, structure_type, owner_id, faction_id,
                            health, max_health, build_data, permissions, upkeep_paid_until,
                            decay_protection, created_at, decay_applied_at, decay_per_hour)
    VALUES (p_id, v_cx, v_cz, p_position, p_rotation, p_structure_type, p_owner_id, p_faction_id,
            p_max_health, p_max_health, p_build_data, p_permissions, NULL,
            p_decay_protection, p_now, p_now, p_decay_per_hour)
    RETURNING * INTO v_s;

    IF p_storage_width IS NOT NULL THEN
        v_inventory := gen_random_uuid();
        -- The inventory service's creation statement (apps/inventory inventories.repository).
        INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked)
        VALUES (v_inventory, p_id, 'structure', p_storage_width, p_storage_height, NULL, false);
        INSERT INTO structure_storage (structure_id, inventory_id, authorized_players, tc_range)
        VALUES (p_id, v_inventory, ARRAY[p_owner_id], CASE WHEN p_tool_cupboard THEN p_tc_range END)
        RETURNING * INTO v_ss;
    END IF;
    RETURN structure_json(v_s, v_ss);
END;
$$;

-- --- damage, repair, upkeep, authorization -----------------------------------------------------

-- Returns {health, destroyed, containerInventoryId}; at zero the structure is destroyed.
CREATE FUNCTION damage_structure(p_id uuid, p_amount double precision, p_attacker_id uuid,
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
CREATE FUNCTION repair_structure(p_id uuid, p_amount double precision)
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
CREATE FUNCTION pay_structure_upkeep(p_id uuid, p_paid_until timestamptz, p_now timestamptz)
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
        PERFORM st_fail('NOT_FOUND', jsonb_build_object('structureId', p_id, 'reason', 'DECAYED'));
    END IF;
    RETURN structure_view(p_id) || jsonb_build_object('covered', v_covered);
END;
$$;

-- Adds or removes a player on a cupboard's authorized_players (each at most once); the owner
-- stays authorized by ownership whatever the list says.
CREATE FUNCTION set_cupboard_authorization(p_id uuid, p_player_id uuid, p_authorized boolean)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
BEGIN
    PERFORM st_require(p_player_id IS NOT NULL, 'playerId', 'required');
    v := st_lock(p_id);
    IF v.structure_type <> 'tool_cupboard' THEN
        PERFORM st_fail('VALIDATION_FAILED', jsonb_build_object('field', 'structureId',
            'problem', 'not a tool cupboard'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM players WHERE id = p_player_id) THEN
        PERFORM st_fail('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    UPDATE structure_storage
       SET authorized_players = CASE
           WHEN p_authorized THEN array_append(array_remove(COALESCE(authorized_players, '{}'), p_player_id), p_player_id)
           ELSE array_remove(COALESCE(authorized_players, '{}'), p_player_id) END
     WHERE structure_id = p_id;
    RETURN structure_view(p_id);
END;
$$;

-- --- decay (SPEC §3, §4) -------------------------------------------------------------------------

-- Whether a structure's upkeep has lapsed at p_now: unprotected ones always decay; protected ones
-- when upkeep was never paid or is paid only up to an earlier instant.
CREATE FUNCTION st_lapsed(s structures, p_now timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT s.decay_protection IS FALSE OR s.upkeep_paid_until IS NULL OR s.upkeep_paid_until < p_now;
$$;

-- Applies decay to the given structures up to p_now (the rule of applyDecay in libs/world-domain):
-- the lapsed part of (decay_applied_at, p_now] is, for a protected structure, what lies after
-- upkeep_paid_until, and the whole interval for an unprotected one; health drops by
-- decay_per_hour × lapsed hours; at zero (within float noise) the structure is destroyed
-- (st_destroy, cause 'decay').
-- decay_applied_at moves to p_now, so the same tick applied again changes nothing.
-- Returns {processed, decayed, destroyed}.
CREATE FUNCTION st_decay_ids(p_ids uuid[], p_now timestamptz, p_reference text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_start timestamptz;
    v_hours double precision;
    v_health double precision;
    v_processed integer := 0;
    v_decayed integer := 0;
    v_destroyed integer := 0;
BEGIN
    FOR v IN
        SELECT * FROM structures WHERE id = ANY (p_ids) AND decay_applied_at < p_now ORDER BY id FOR UPDATE
    LOOP
        v_processed := v_processed + 1;
        v_start := v.decay_applied_at;
        IF v.decay_protection IS NOT FALSE AND v.upkeep_paid_until IS NOT NULL THEN
            v_start := greatest(v_start, v.upkeep_paid_until);
        END IF;
        v_hours := greatest(0, extract(epoch FROM (p_now - v_start)) / 3600.0);
        v_health := greatest(0, v.health - v_hours * v.decay_per_hour);
        -- A billionth of the maximum is float noise (250 - 3 × 250/3 is not exactly 0): gone.
        IF v_health <= 1e-9 * v.max_health THEN
            PERFORM st_destroy(v, 'decay', NULL, false, p_now, COALESCE(p_reference, 'decay'));
            v_destroyed := v_destroyed + 1;
        ELSE
            UPDATE structures SET health = v_health, decay_applied_at = p_now WHERE id = v.id;
            IF v_health < v.health THEN
                v_decayed := v_decayed + 1;
            END IF;
        END IF;
    END LOOP;
    RETURN jsonb_build_object('processed', v_processed, 'decayed', v_decayed, 'destroyed', v_destroyed);
END;
$$;

-- One batch of decay in one chunk at tick p_now: at most p_limit lapsed structures not yet
-- decayed to p_now, in id order. Returns {processed, decayed, destroyed, more}; call again while
-- more is true (each batch its own short transaction). Running a tick twice applies it once.
CREATE FUNCTION apply_structure_decay(p_chunk_x integer, p_chunk_z integer, p_now timestamptz,
                                      p_limit integer DEFAULT 500)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_ids uuid[];
    v_result jsonb;
BEGIN
    PERFORM st_require(p_chunk_x IS NOT NULL, 'chunkX', 'required');
    PERFORM st_require(p_chunk_z IS NOT NULL, 'chunkZ', 'required');
    PERFORM st_require(p_now IS NOT NULL, 'tick', 'required');
    PERFORM st_require(p_limit BETWEEN 1 AND 10000, 'limit', 'between 1 and 10000');
    SELECT array_agg(id) INTO v_ids FROM (
        SELECT s.id FROM structures s
         WHERE s.chunk_x = p_chunk_x AND s.chunk_z = p_chunk_z AND s.decay_applied_at < p_now
           AND st_lapsed(s, p_now)
         ORDER BY s.id LIMIT p_limit) l;
    v_result := st_decay_ids(COALESCE(v_ids, '{}'), p_now, 'decay:' || p_chunk_x || ':' || p_chunk_z);
    RETURN v_result || jsonb_build_object('more', COALESCE(array_length(v_ids, 1), 0) = p_limit);
END;
$$;

-- Chunks holding a structure with decay to apply at p_now: what the decay scan enqueues, one
-- structure_decay job each.
CREATE FUNCTION structure_decay_chunks(p_now timestamptz, p_limit integer DEFAULT 10000)
RETURNS TABLE (chunk_x integer, chunk_z integer)
LANGUAGE sql STABLE AS $$
    SELECT s.chunk_x, s.chunk_z FROM structures s
     WHERE s.decay_applied_at < p_now AND st_lapsed(s, p_now)
     GROUP BY s.chunk_x, s.chunk_z
     ORDER BY s.chunk_x, s.chunk_z
     LIMIT p_limit;
$$;
