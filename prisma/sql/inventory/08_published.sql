-- inventory: the functions other owners call to change inventory's tables (docs/architecture.md
-- "Data ownership"; create_corpse in 05_corpses.sql is one too). Each is SECURITY DEFINER and
-- owned by tn1_inventory, so it runs with inventory's rights and no more, with a pinned
-- search_path so that the caller's cannot redirect a name, and only the roles granted below may
-- call it.

-- Creates an empty inventory and returns its id (accounts: a character's, world: a structure's
-- storage and a vehicle's). p_created_at defaults to now().
CREATE OR REPLACE FUNCTION create_inventory(p_id uuid, p_owner_id uuid, p_owner_type text, p_grid_width integer,
                                 p_grid_height integer, p_max_weight double precision DEFAULT NULL,
                                 p_server_id uuid DEFAULT NULL, p_created_at timestamptz DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
BEGIN
    -- Escrow and claim inventories are made by the market_* functions only (11_market_items.sql).
    PERFORM inv_require(p_owner_type IS DISTINCT FROM 'market', 'ownerType', 'market inventories are the market''s');
    INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked, server_id,
                             created_at)
    VALUES (p_id, p_owner_id, p_owner_type::inventory_owner_type, p_grid_width, p_grid_height, p_max_weight, false,
            p_server_id, COALESCE(p_created_at, now()));
    RETURN p_id;
END;
$$;

-- Moves every item of p_from into a new 'container' inventory of the same grid owned by
-- p_owner_id, each item at its own cell, through transfer_item (one 'move' ledger row each, with
-- p_reason). Returns the container's id, NULL when p_from holds nothing (or does not exist).
-- p_from stays, empty: delete_inventory removes it once the caller's references to it are gone.
CREATE OR REPLACE FUNCTION spill_inventory(p_from uuid, p_owner_id uuid, p_reason varchar, p_reference varchar)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_inv inventories;
    v_container uuid;
    v_item record;
BEGIN
    SELECT * INTO v_inv FROM inventories WHERE id = p_from FOR NO KEY UPDATE;
    IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM inventory_items WHERE inventory_id = p_from) THEN
        RETURN NULL;
    END IF;
    v_container := gen_random_uuid();
    -- The container keeps the storage's server (and so its region): its items stay on that
    -- server's active-items count.
    INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked, server_id)
    VALUES (v_container, p_owner_id, 'container', v_inv.grid_width, v_inv.grid_height, NULL, false,
            v_inv.server_id);
    FOR v_item IN
        SELECT id, grid_x, grid_y FROM inventory_items WHERE inventory_id = p_from ORDER BY grid_y, grid_x
    LOOP
        PERFORM transfer_item(v_item.id, v_container, v_item.grid_x, v_item.grid_y, NULL,
                              v_inv.lock_code, p_from, p_reason, p_reference);
    END LOOP;
    RETURN v_container;
END;
$$;

-- Deletes an inventory: every item still in it is destroyed through destroy_item (one 'destroy'
-- ledger row each, with p_reason, in id order), then the row goes. Returns how many items were
-- destroyed; 0 for an inventory that does not exist.
CREATE OR REPLACE FUNCTION delete_inventory(p_id uuid, p_reason varchar, p_reference varchar)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_item uuid;
    v_destroyed int := 0;
BEGIN
    -- The inventory's lock first (the global order): no item can be added or moved in between the
    -- destruction of its items and its deletion (which the delete guard would refuse anyway).
    PERFORM 1 FROM inventories WHERE id = p_id FOR NO KEY UPDATE;
    FOR v_item IN SELECT id FROM inventory_items WHERE inventory_id = p_id ORDER BY id LOOP
        PERFORM destroy_item(v_item, NULL, p_reason, p_reference);
        v_destroyed := v_destroyed + 1;
    END LOOP;
    DELETE FROM inventories WHERE id = p_id;
    RETURN v_destroyed;
END;
$$;

-- Takes resources out of an inventory, all or nothing: p_items is [{itemTemplateId, amount}]
-- (amounts of one template add up). With everything there, each amount is consumed from the
-- template's stacks (smallest first, then grid order) through inv_take, one 'consume' ledger row
-- per stack touched, with p_reason and p_reference; returns {taken: true, items}. When anything is
-- short nothing changes and it returns {taken: false, missing: [{itemTemplateId, required,
-- available}]}, for the caller to raise its own rule error. Server-authoritative like add_item:
-- the inventory's lock code is not asked for (world's upkeep and repair take from a cupboard).
CREATE OR REPLACE FUNCTION take_items(p_inventory_id uuid, p_items jsonb, p_reason varchar, p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_wanted jsonb;
    v_missing jsonb;
    v_need record;
    v_stack record;
    v_left int;
    v_take int;
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_inventory_id IS NOT NULL, 'inventoryId', 'required');
    PERFORM inv_require(jsonb_typeof(p_items) = 'array', 'items', 'must be an array');
    PERFORM inv_require(NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(p_items) e
         WHERE jsonb_typeof(e -> 'itemTemplateId') <> 'string' OR jsonb_typeof(e -> 'amount') <> 'number'
            OR (e ->> 'amount')::numeric < 1 OR (e ->> 'amount')::numeric <> floor((e ->> 'amount')::numeric)),
        'items', 'each {itemTemplateId, amount} with a whole amount of at least 1');
    SELECT COALESCE(jsonb_object_agg(t, n), '{}') INTO v_wanted FROM (
        SELECT e ->> 'itemTemplateId' AS t, sum((e ->> 'amount')::bigint) AS n
          FROM jsonb_array_elements(p_items) e GROUP BY 1) w;
    PERFORM inv_lock_inventories(p_inventory_id, NULL);
    PERFORM 1 FROM inventory_items WHERE inventory_id = p_inventory_id ORDER BY id FOR UPDATE;
    SELECT jsonb_agg(jsonb_build_object('itemTemplateId', w.key, 'required', w.value::bigint,
                                        'available', COALESCE(h.n, 0)) ORDER BY w.key)
      INTO v_missing
      FROM jsonb_each_text(v_wanted) w
      LEFT JOIN (SELECT item_template_id, sum(quantity) AS n FROM inventory_items
                  WHERE inventory_id = p_inventory_id GROUP BY 1) h ON h.item_template_id = w.key
     WHERE COALESCE(h.n, 0) < w.value::bigint;
    IF v_missing IS NOT NULL THEN
        RETURN jsonb_build_object('taken', false, 'missing', v_missing);
    END IF;
    FOR v_need IN SELECT key AS template_id, value::int AS amount FROM jsonb_each_text(v_wanted) ORDER BY key LOOP
        v_left := v_need.amount;
        FOR v_stack IN
            SELECT id, quantity FROM inventory_items
             WHERE inventory_id = p_inventory_id AND item_template_id = v_need.template_id
             ORDER BY quantity, grid_y, grid_x, id
        LOOP
            EXIT WHEN v_left = 0;
            v_take := least(v_left, v_stack.quantity);
            PERFORM inv_take(v_stack.id, v_take, 'consume', p_reason, p_reference);
            v_left := v_left - v_take;
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('taken', true, 'items',
        COALESCE((SELECT jsonb_agg(jsonb_build_object('itemTemplateId', key, 'amount', value::int) ORDER BY key)
                    FROM jsonb_each_text(v_wanted)), '[]'));
END;
$$;

-- Creates items for a player, server-authoritatively (event rewards): p_items is
-- [{itemTemplateId, quantity}], each cut into stacks of at most the template's max_stack and put
-- at the first free place of the player's inventories (in id order) through add_item, one
-- 'create' ledger row per stack with p_reason and p_reference. A stack that fits nowhere (no room,
-- over weight, the server's item limit) goes into one overflow 'container' inventory owned by
-- p_overflow_owner_id (10 × 10, no weight limit, created on first need), so nothing is lost and
-- the caller's transaction never fails for a full bag. Returns {items, containerInventoryId}.
-- Calling it once is the caller's part: it writes every time it is called.
CREATE OR REPLACE FUNCTION grant_items(p_player_id uuid, p_items jsonb, p_overflow_owner_id uuid,
                                       p_reason varchar, p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_targets uuid[];
    v_target uuid;
    v_entry jsonb;
    v_tpl item_templates;
    v_left int;
    v_qty int;
    v_item inventory_items;
    v_placed boolean;
    v_code text;
    v_container uuid;
    v_items jsonb := '[]';
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM inv_require(p_overflow_owner_id IS NOT NULL, 'overflowOwnerId', 'required');
    PERFORM inv_require(jsonb_typeof(p_items) = 'array', 'items', 'must be an array');
    SELECT array_agg(id ORDER BY id) INTO v_targets FROM (
        SELECT id FROM inventories WHERE owner_type = 'player' AND owner_id = p_player_id
         ORDER BY id FOR NO KEY UPDATE) l;
    FOR v_entry IN SELECT * FROM jsonb_array_elements(p_items) LOOP
        PERFORM inv_require(jsonb_typeof(v_entry -> 'quantity') = 'number'
            AND (v_entry ->> 'quantity')::numeric >= 1
            AND (v_entry ->> 'quantity')::numeric = floor((v_entry ->> 'quantity')::numeric), 'quantity',
            'a whole quantity of at least 1');
        SELECT * INTO v_tpl FROM item_templates WHERE id = v_entry ->> 'itemTemplateId';
        IF NOT FOUND THEN
            PERFORM raise_error('NOT_FOUND', jsonb_build_object('templateId', v_entry ->> 'itemTemplateId'));
        END IF;
        v_left := (v_entry ->> 'quantity')::int;
        WHILE v_left > 0 LOOP
            v_qty := least(v_left, v_tpl.max_stack);
            v_placed := false;
            FOREACH v_target IN ARRAY COALESCE(v_targets, '{}') LOOP
                BEGIN
                    v_item := add_item(v_target, v_tpl.id, v_qty, NULL, NULL, NULL, NULL, NULL, p_reason, p_reference);
                    v_placed := true;
                EXCEPTION WHEN SQLSTATE 'P0001' THEN
                    GET STACKED DIAGNOSTICS v_code = MESSAGE_TEXT;
                    IF v_code NOT IN ('SLOT_OCCUPIED', 'OVER_WEIGHT', 'LIMIT_REACHED') THEN
                        RAISE;
                    END IF;
                END;
                EXIT WHEN v_placed;
            END LOOP;
            IF NOT v_placed THEN
                IF v_container IS NULL THEN
                    v_container := gen_random_uuid();
                    INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked)
                    VALUES (v_container, p_overflow_owner_id, 'container', 10, 10, NULL, false);
                END IF;
                v_item := add_item(v_container, v_tpl.id, v_qty, NULL, NULL, NULL, NULL, NULL, p_reason, p_reference);
            END IF;
            v_items := v_items || jsonb_build_array(inv_item_json(v_item));
            v_left := v_left - v_qty;
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('items', v_items, 'containerInventoryId', v_container);
END;
$$;

ALTER FUNCTION create_inventory(uuid, uuid, text, integer, integer, double precision, uuid, timestamptz)
    OWNER TO tn1_inventory;
ALTER FUNCTION spill_inventory(uuid, uuid, varchar, varchar) OWNER TO tn1_inventory;
ALTER FUNCTION delete_inventory(uuid, varchar, varchar) OWNER TO tn1_inventory;
GRANT EXECUTE ON FUNCTION create_inventory(uuid, uuid, text, integer, integer, double precision, uuid, timestamptz)
    TO tn1_accounts, tn1_world;
GRANT EXECUTE ON FUNCTION spill_inventory(uuid, uuid, varchar, varchar) TO tn1_world;
GRANT EXECUTE ON FUNCTION delete_inventory(uuid, varchar, varchar) TO tn1_world;
ALTER FUNCTION take_items(uuid, jsonb, varchar, varchar) OWNER TO tn1_inventory;
ALTER FUNCTION grant_items(uuid, jsonb, uuid, varchar, varchar) OWNER TO tn1_inventory;
GRANT EXECUTE ON FUNCTION take_items(uuid, jsonb, varchar, varchar) TO tn1_world;
GRANT EXECUTE ON FUNCTION grant_items(uuid, jsonb, uuid, varchar, varchar) TO tn1_world;

-- Raids (combat): what p_takers (characters) moved out of the inventories p_from into their own
-- player inventories between p_since and p_until (inclusive), read from the item ledger (move,
-- split and merge rows). Returns [{itemTemplateId, quantity}] by template, [] when nothing moved.
CREATE OR REPLACE FUNCTION items_taken(p_from uuid[], p_takers uuid[], p_since timestamptz, p_until timestamptz)
RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
    SELECT COALESCE(jsonb_agg(jsonb_build_object('itemTemplateId', t.template_id, 'quantity', t.quantity)
                              ORDER BY t.template_id), '[]')
      FROM (SELECT l.template_id, sum(l.quantity)::int AS quantity
              FROM item_ledger l JOIN inventories i ON i.id = l.to_inventory_id
             WHERE l.from_inventory_id = ANY (p_from)
               AND l.created_at BETWEEN p_since AND p_until
               AND l.operation IN ('move', 'split', 'merge')
               AND i.owner_type = 'player' AND i.owner_id = ANY (p_takers)
             GROUP BY l.template_id) t;
$$;
ALTER FUNCTION items_taken(uuid[], uuid[], timestamptz, timestamptz) OWNER TO tn1_inventory;
GRANT EXECUTE ON FUNCTION items_taken(uuid[], uuid[], timestamptz, timestamptz) TO tn1_combat;
