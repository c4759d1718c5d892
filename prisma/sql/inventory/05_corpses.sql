-- inventory: corpses (SPEC section 4 "Death"): create_corpse, which combat calls inside its
-- killing blow (published, like 08_published.sql's functions), and cleanup_corpses, which the
-- corpses.cleanup schedule calls.

-- Moves every item of the player's inventories into a new corpse inventory at p_position, in the
-- caller's transaction (the combat issue calls it inside its killing-blow transaction), with one
-- 'move' ledger row per item (reason 'death'). Grid rule: the player's inventories are stacked
-- top to bottom in id order (corpse width = the widest, height = the sum of heights) and every
-- item keeps its cell, shifted down by the height above it: everything fits, nothing is re-packed.
-- No weight limit: a corpse holds what the player carried. Returns the corpse inventory id.
CREATE OR REPLACE FUNCTION create_corpse(p_player_id uuid, p_position jsonb, p_reference varchar DEFAULT NULL,
                              p_expires_at timestamptz DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_server uuid;
    v_corpse uuid := gen_random_uuid();
    v_sources uuid[];
    v_offsets int[];
    v_width int;
    v_height int;
BEGIN
    PERFORM inv_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM inv_require(jsonb_typeof(p_position -> 'x') = 'number' AND jsonb_typeof(p_position -> 'y') = 'number'
        AND jsonb_typeof(p_position -> 'z') = 'number', 'position', 'must be {x, y, z} numbers');
    PERFORM inv_require(p_expires_at IS NULL OR p_expires_at > now(), 'expiresAt', 'must be in the future');
    SELECT server_id INTO v_server FROM accounts.players WHERE id = p_player_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    -- The player's inventories, locked in id order like every other writer.
    SELECT array_agg(id ORDER BY id),
           array_agg(off ORDER BY id),
           max(grid_width),
           sum(grid_height)
      INTO v_sources, v_offsets, v_width, v_height
      FROM (SELECT id, grid_width, grid_height,
                   (COALESCE(sum(grid_height) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::int AS off
              FROM (SELECT id, grid_width, grid_height FROM inventories
                     WHERE owner_type = 'player' AND owner_id = p_player_id
                     ORDER BY id FOR NO KEY UPDATE) locked) s;
    INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked, server_id)
    VALUES (v_corpse, p_player_id, 'corpse', GREATEST(COALESCE(v_width, 1), 1),
            GREATEST(COALESCE(v_height, 1), 1), NULL, false, v_server);
    WITH src AS (
        SELECT * FROM unnest(v_sources, v_offsets) AS u(id, off)
    ), moved AS (
        UPDATE inventory_items i SET inventory_id = v_corpse, grid_y = i.grid_y + src.off
          FROM src WHERE i.inventory_id = src.id
        RETURNING i.id, i.item_template_id, src.id AS from_id, i.quantity
    )
    INSERT INTO item_ledger (item_id, template_id, from_inventory_id, to_inventory_id, quantity, operation,
                             reason, reference)
    SELECT id, item_template_id, from_id, v_corpse, quantity, 'move', 'death', p_reference FROM moved;
    INSERT INTO corpses (inventory_id, player_id, position, chunk_x, chunk_z, expires_at)
    VALUES (v_corpse, p_player_id, p_position, floor((p_position ->> 'x')::float8 / 128)::int,
            floor((p_position ->> 'z')::float8 / 128)::int, COALESCE(p_expires_at, now() + interval '30 minutes'));
    RETURN v_corpse;
END;
$$;

ALTER FUNCTION create_corpse(uuid, jsonb, varchar, timestamptz) OWNER TO tn1_inventory;
GRANT EXECUTE ON FUNCTION create_corpse(uuid, jsonb, varchar, timestamptz) TO tn1_combat;

-- Removes up to p_limit corpses expired at p_now (the schedule's tick: an injectable clock):
-- each item is destroyed with its ledger row (reason 'corpse_expired'), then the inventory goes
-- (its corpses row with it). SKIP LOCKED: two cleaners never wait on each other's corpses.
CREATE OR REPLACE FUNCTION cleanup_corpses(p_now timestamptz, p_limit integer DEFAULT 500)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_corpse uuid;
    v_corpses int := 0;
    v_items int := 0;
    v_n int;
BEGIN
    PERFORM inv_require(p_now IS NOT NULL, 'now', 'required');
    PERFORM inv_require(p_limit IS NOT NULL AND p_limit BETWEEN 1 AND 10000, 'limit', 'between 1 and 10000');
    FOR v_corpse IN
        SELECT inventory_id FROM corpses WHERE expires_at <= p_now
         ORDER BY expires_at, inventory_id LIMIT p_limit FOR UPDATE SKIP LOCKED
    LOOP
        PERFORM inv_lock_inventories(v_corpse, NULL);
        WITH gone AS (
            DELETE FROM inventory_items WHERE inventory_id = v_corpse
            RETURNING id, item_template_id, quantity
        )
        INSERT INTO item_ledger (item_id, template_id, from_inventory_id, to_inventory_id, quantity, operation,
                                 reason, reference)
        SELECT id, item_template_id, v_corpse, NULL, quantity, 'destroy', 'corpse_expired', 'corpses.cleanup'
          FROM gone;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        DELETE FROM inventories WHERE id = v_corpse;
        v_corpses := v_corpses + 1;
        v_items := v_items + v_n;
    END LOOP;
    RETURN jsonb_build_object('corpses', v_corpses, 'items', v_items);
END;
$$;
