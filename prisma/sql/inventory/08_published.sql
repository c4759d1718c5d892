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

ALTER FUNCTION create_inventory(uuid, uuid, text, integer, integer, double precision, uuid, timestamptz)
    OWNER TO tn1_inventory;
ALTER FUNCTION spill_inventory(uuid, uuid, varchar, varchar) OWNER TO tn1_inventory;
ALTER FUNCTION delete_inventory(uuid, varchar, varchar) OWNER TO tn1_inventory;
GRANT EXECUTE ON FUNCTION create_inventory(uuid, uuid, text, integer, integer, double precision, uuid, timestamptz)
    TO tn1_accounts, tn1_world;
GRANT EXECUTE ON FUNCTION spill_inventory(uuid, uuid, varchar, varchar) TO tn1_world;
GRANT EXECUTE ON FUNCTION delete_inventory(uuid, varchar, varchar) TO tn1_world;
