-- inventory: filling world containers with rolled loot once per (container, cycle)
-- (SPEC section 6 loot_generation).

-- Fills a world container with p_items ([{templateId, quantity}], rolled by the caller) once per
-- cycle. Each item goes to the first free place; one that does not fit (no room, over weight,
-- the server's item limit) is skipped, the rest still land. Returns {filled, items, skipped}:
-- filled = false and the first fill's items when the cycle was already filled.
CREATE OR REPLACE FUNCTION fill_container(p_container_id uuid, p_cycle varchar, p_table_id varchar, p_items jsonb,
                               p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_inv inventories;
    v_entry jsonb;
    v_item inventory_items;
    v_added jsonb := '[]';
    v_skipped int := 0;
    v_code text;
BEGIN
    PERFORM inv_require(p_container_id IS NOT NULL, 'containerId', 'required');
    PERFORM inv_require(p_cycle IS NOT NULL AND length(p_cycle) BETWEEN 1 AND 64, 'cycle', '1 to 64 characters');
    PERFORM inv_require(jsonb_typeof(p_items) = 'array', 'items', 'must be an array');
    PERFORM inv_lock_inventories(p_container_id, NULL);
    SELECT * INTO v_inv FROM inventories WHERE id = p_container_id;
    IF v_inv.owner_type IN ('player', 'market') THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('containerId', p_container_id,
            'reason', 'NOT_A_WORLD_CONTAINER'));
    END IF;
    INSERT INTO loot_fills (container_id, cycle, table_id) VALUES (p_container_id, p_cycle, p_table_id)
        ON CONFLICT (container_id, cycle) DO NOTHING;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('filled', false, 'items',
            (SELECT items FROM loot_fills WHERE container_id = p_container_id AND cycle = p_cycle), 'skipped', 0);
    END IF;
    FOR v_entry IN SELECT * FROM jsonb_array_elements(p_items) LOOP
        BEGIN
            v_item := add_item(p_container_id, v_entry ->> 'templateId', (v_entry ->> 'quantity')::int,
                               NULL, NULL, NULL, NULL, NULL, 'loot', p_reference);
            v_added := v_added || jsonb_build_array(inv_item_json(v_item) - 'inventoryId');
        EXCEPTION WHEN SQLSTATE 'P0001' THEN
            GET STACKED DIAGNOSTICS v_code = MESSAGE_TEXT;
            IF v_code NOT IN ('SLOT_OCCUPIED', 'OVER_WEIGHT', 'LIMIT_REACHED') THEN
                RAISE;
            END IF;
            v_skipped := v_skipped + 1;
        END;
    END LOOP;
    UPDATE loot_fills SET items = v_added WHERE container_id = p_container_id AND cycle = p_cycle;
    RETURN jsonb_build_object('filled', true, 'items', v_added, 'skipped', v_skipped);
END;
$$;
