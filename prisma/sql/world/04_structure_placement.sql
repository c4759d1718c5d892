-- world: placing a structure under the build rule (SPEC section 4): per-chunk advisory locks, the
-- structures-per-chunk limit, tool cupboards of other owners, territories that forbid building.
--
-- Geometry: distances are horizontal (x, z), like chunks and territories: a cupboard protects a
-- vertical cylinder of radius tc_range, so a tower cannot climb out of its reach.

-- Places a structure, or refuses it, in one transaction:
--   * advisory locks on every chunk the search window touches (the point's chunk and the chunks
--     within p_tc_range of it), taken in (x, z) order so placements never deadlock: two
--     placements that could see each other's cupboard share at least one of these locks, and the
--     count of the point's chunk cannot change while it is checked, so the limit is exact;
--   * LIMIT_REACHED at p_chunk_limit structures in the chunk;
--   * BUILD_BLOCKED (reason TOOL_CUPBOARD) within tc_range of a cupboard of another owner unless
--     the builder is on its authorized_players, or the cupboard has a faction_id and the builder
--     is a member of that faction holding `build` (shared bases, issue 14 rule 5: asked through
--     factions.member_has in this statement, so a kicked member is refused as soon as the kick
--     commits); cupboards of neighbouring chunks count;
--   * BUILD_BLOCKED (reason TERRITORY) inside a territory with building_allowed = false that the
--     builder's faction does not own (an unowned forbidden territory is nobody's to build on);
--   * storage types get their structure_storage and a new 'structure' inventory;
--     authorized_players = {builder}; tc_range = p_tc_range for a cupboard.
-- p_tc_range is also the search window: cupboards keep the range they were placed with, so the
-- configured range must not shrink below an existing cupboard's (it is at most 128, one chunk).
CREATE OR REPLACE FUNCTION place_structure(
    p_id uuid, p_owner_id uuid, p_faction_id uuid, p_structure_type varchar,
    p_position jsonb, p_rotation jsonb, p_build_data jsonb, p_permissions jsonb,
    p_max_health double precision, p_decay_per_hour double precision, p_decay_protection boolean,
    p_tool_cupboard boolean, p_storage_width integer, p_storage_height integer,
    p_tc_range double precision, p_chunk_limit integer, p_now timestamptz, p_server_id uuid)
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

    SELECT faction_id INTO v_player_faction FROM accounts.players WHERE id = p_owner_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('ownerId', p_owner_id));
    END IF;
    IF p_faction_id IS NOT NULL AND p_faction_id IS DISTINCT FROM v_player_faction THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'factionId',
            'problem', 'the owner is not a member of this faction'));
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('structures.chunk:' || c.x || ':' || c.z, 0))
       FROM (SELECT gx AS x, gz AS z
               FROM generate_series(st_chunk_of(v_x - p_tc_range), st_chunk_of(v_x + p_tc_range)) gx,
                    generate_series(st_chunk_of(v_z - p_tc_range), st_chunk_of(v_z + p_tc_range)) gz
              ORDER BY gx, gz) c;

    SELECT count(*) INTO v_count FROM structures WHERE chunk_x = v_cx AND chunk_z = v_cz;
    IF v_count >= p_chunk_limit THEN
        PERFORM raise_error('LIMIT_REACHED', jsonb_build_object('limit', p_chunk_limit, 'chunkX', v_cx,
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
       AND NOT (s.faction_id IS NOT NULL AND factions.member_has(s.faction_id, p_owner_id, 'build'))
       AND power((s.position ->> 'x')::double precision - v_x, 2)
         + power((s.position ->> 'z')::double precision - v_z, 2) <= power(COALESCE(ss.tc_range, 30.0), 2)
     ORDER BY 3 LIMIT 1;
    IF FOUND THEN
        PERFORM raise_error('BUILD_BLOCKED', jsonb_build_object('reason', 'TOOL_CUPBOARD',
            'cupboardId', v_blocker.id, 'distance', v_blocker.distance));
    END IF;

    SELECT t.id, t.owner_faction_id INTO v_blocker
      FROM territories t
     WHERE t.building_allowed IS FALSE
       AND (t.owner_faction_id IS NULL OR p_faction_id IS NULL OR t.owner_faction_id <> p_faction_id)
       AND power(v_x - t.center_x, 2) + power(v_z - t.center_z, 2) <= power(t.radius, 2)
     ORDER BY t.id LIMIT 1;
    IF FOUND THEN
        PERFORM raise_error('BUILD_BLOCKED', jsonb_build_object('reason', 'TERRITORY',
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
        -- The placing server's: its active-items count and its region (issue 11).
        v_inventory := inventory.create_inventory(gen_random_uuid(), p_id, 'structure', p_storage_width,
                                                  p_storage_height, NULL, p_server_id);
        INSERT INTO structure_storage (structure_id, inventory_id, authorized_players, tc_range)
        VALUES (p_id, v_inventory, ARRAY[p_owner_id], CASE WHEN p_tool_cupboard THEN p_tc_range END)
        RETURNING * INTO v_ss;
    END IF;
    RETURN structure_json(v_s, v_ss);
END;
$$;
