-- inventory: the published functions the market calls (issue 13) to move items in and out of
-- escrow. A listing's escrow, a trade's offer and a claim's items each sit in an inventory of owner
-- type 'market' (owner_id = the listing, trade or claim), exactly as large as the one item row it
-- holds. Every move goes through inv_transfer_locked (one item_ledger row: move, or split when part
-- of a stack), so items are conserved and keep their durability, attachments and custom data.
-- SECURITY DEFINER, owned by tn1_inventory, pinned search_path, granted to tn1_market only.
-- The market has checked its principal before calling: these functions trust p_player_id.

-- A new 'market' inventory sized for p_item, owned by p_owner_id.
CREATE OR REPLACE FUNCTION inv_market_inventory(p_item inventory_items, p_owner_id uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid := gen_random_uuid();
BEGIN
    INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight, locked, server_id)
    VALUES (v_id, p_owner_id, 'market', p_item.grid_width, p_item.grid_height, NULL, false, NULL);
    RETURN v_id;
END;
$$;

-- Removes a 'market' inventory that a move just emptied (the caller holds its lock).
CREATE OR REPLACE FUNCTION inv_market_drop_if_empty(p_inventory_id uuid) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM inventories i
     WHERE i.id = p_inventory_id AND i.owner_type = 'market'
       AND NOT EXISTS (SELECT 1 FROM inventory_items x WHERE x.inventory_id = p_inventory_id);
$$;

CREATE OR REPLACE FUNCTION inv_market_check_args(p_item_id uuid, p_quantity integer, p_reason varchar) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM inv_require(p_quantity IS NULL OR p_quantity >= 1, 'quantity', 'at least 1');
END;
$$;

-- The item locked (with its inventory), which must be a 'market' inventory: else FORBIDDEN NOT_IN_ESCROW.
CREATE OR REPLACE FUNCTION inv_market_lock_escrowed(p_item_id uuid, p_quantity integer) RETURNS inventory_items
LANGUAGE plpgsql AS $$
DECLARE
    v_item inventory_items := inv_lock_item(p_item_id, NULL, NULL);
BEGIN
    IF (SELECT owner_type FROM inventories WHERE id = v_item.inventory_id) IS DISTINCT FROM 'market' THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('itemId', p_item_id, 'reason', 'NOT_IN_ESCROW'));
    END IF;
    IF COALESCE(p_quantity, v_item.quantity) > v_item.quantity THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above the stack quantity', 'available', v_item.quantity));
    END IF;
    RETURN v_item;
END;
$$;

-- inventory.market_escrow_item: p_quantity (NULL: the whole stack) of p_item_id, which must be in one
-- of p_player_id's own inventories, moves into a new 'market' inventory owned by p_escrow_owner_id
-- (the listing or trade). NOT_FOUND when the item does not exist, FORBIDDEN NOT_YOURS when it is not
-- in the player's inventories (another player's, a container's, or already escrowed: an item is in at
-- most one listing or trade), VALIDATION_FAILED quantity above the stack.
-- Returns {inventoryId (the escrow), item (the escrowed row), source (what stays, NULL when all moved)}.
CREATE OR REPLACE FUNCTION inventory.market_escrow_item(p_item_id uuid, p_player_id uuid, p_quantity integer,
                                                        p_escrow_owner_id uuid, p_reason varchar,
                                                        p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_item inventory_items;
    v_src inventories;
    v_escrow uuid;
    v_moved jsonb;
BEGIN
    PERFORM inv_market_check_args(p_item_id, p_quantity, p_reason);
    PERFORM inv_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM inv_require(p_escrow_owner_id IS NOT NULL, 'escrowOwnerId', 'required');
    v_item := inv_lock_item(p_item_id, NULL, NULL);
    SELECT * INTO v_src FROM inventories WHERE id = v_item.inventory_id;
    IF v_src.owner_type <> 'player' OR v_src.owner_id <> p_player_id THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('itemId', p_item_id, 'field', 'itemId',
            'reason', CASE WHEN v_src.owner_type = 'market' THEN 'ITEM_IN_ESCROW' ELSE 'NOT_YOURS' END));
    END IF;
    IF COALESCE(p_quantity, v_item.quantity) > v_item.quantity THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above the stack quantity', 'available', v_item.quantity));
    END IF;
    v_escrow := inv_market_inventory(v_item, p_escrow_owner_id);
    v_moved := inv_transfer_locked(v_item, v_escrow, 0, 0, p_quantity, v_src.lock_code, NULL, p_reason, p_reference);
    RETURN jsonb_build_object('inventoryId', v_escrow, 'item', v_moved -> 'item', 'source', v_moved -> 'source');
END;
$$;

-- inventory.market_deliver_item: p_quantity (NULL: all) of an escrowed item (in a 'market'
-- inventory) to p_player_id: into p_to_inventory_id when given (it must be one of the player's own
-- inventories: else NOT_FOUND / FORBIDDEN NOT_YOURS), else into the first of the player's
-- inventories (id order) with a free place and the weight to spare. No room is an answer, not an
-- error: {placed: false, reason: 'NO_ROOM'} with nothing changed, so a paid purchase can put the
-- item in the buyer's claims instead. Placed: {placed: true, inventoryId, item, source (what stays
-- in escrow, NULL when all left)}. An escrow inventory emptied by the move is deleted.
CREATE OR REPLACE FUNCTION inventory.market_deliver_item(p_item_id uuid, p_quantity integer, p_player_id uuid,
                                                         p_to_inventory_id uuid, p_reason varchar,
                                                         p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_from uuid;
    v_targets uuid[];
    v_item inventory_items;
    v_tpl item_templates;
    v_src inventories;
    v_inv inventories;
    v_qty int;
    v_x int;
    v_y int;
    v_moved jsonb;
BEGIN
    PERFORM inv_market_check_args(p_item_id, p_quantity, p_reason);
    PERFORM inv_require(p_player_id IS NOT NULL, 'playerId', 'required');
    IF p_to_inventory_id IS NOT NULL THEN
        SELECT * INTO v_inv FROM inventories WHERE id = p_to_inventory_id;
        IF NOT FOUND THEN
            PERFORM raise_error('NOT_FOUND', jsonb_build_object('inventoryId', p_to_inventory_id,
                                'field', 'toInventoryId'));
        END IF;
        IF v_inv.owner_type <> 'player' OR v_inv.owner_id <> p_player_id THEN
            PERFORM raise_error('FORBIDDEN', jsonb_build_object('inventoryId', p_to_inventory_id,
                                'field', 'toInventoryId', 'reason', 'NOT_YOURS'));
        END IF;
        v_targets := ARRAY[p_to_inventory_id];
    ELSE
        SELECT array_agg(id ORDER BY id) INTO v_targets FROM inventories
         WHERE owner_type = 'player' AND owner_id = p_player_id;
    END IF;
    SELECT inventory_id INTO v_from FROM inventory_items WHERE id = p_item_id;
    IF NOT FOUND OR v_from IS NULL THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('itemId', p_item_id));
    END IF;
    -- Every inventory involved in the global order (by id), then the item.
    PERFORM 1 FROM inventories WHERE id = v_from OR id = ANY (COALESCE(v_targets, '{}'))
     ORDER BY id FOR NO KEY UPDATE;
    SELECT * INTO v_item FROM inventory_items WHERE id = p_item_id FOR UPDATE;
    IF NOT FOUND OR v_item.inventory_id IS DISTINCT FROM v_from THEN
        RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'escrowed item moved while locking, retry';
    END IF;
    SELECT * INTO v_src FROM inventories WHERE id = v_from;
    IF v_src.owner_type <> 'market' THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('itemId', p_item_id, 'reason', 'NOT_IN_ESCROW'));
    END IF;
    v_qty := COALESCE(p_quantity, v_item.quantity);
    IF v_qty > v_item.quantity THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above the stack quantity', 'available', v_item.quantity));
    END IF;
    SELECT * INTO v_tpl FROM item_templates WHERE id = v_item.item_template_id;
    FOR v_inv IN SELECT * FROM inventories WHERE id = ANY (COALESCE(v_targets, '{}')) ORDER BY id LOOP
        CONTINUE WHEN v_inv.max_weight IS NOT NULL
                  AND inventory_weight(v_inv.id) + v_qty * v_tpl.weight > v_inv.max_weight + 1e-9;
        SELECT f.x, f.y INTO v_x, v_y FROM inv_first_free(v_inv, v_item.grid_width, v_item.grid_height) f;
        CONTINUE WHEN v_x IS NULL;
        v_moved := inv_transfer_locked(v_item, v_inv.id, v_x, v_y, v_qty, v_src.lock_code, v_inv.lock_code,
                                       p_reason, p_reference);
        PERFORM inv_market_drop_if_empty(v_from);
        RETURN jsonb_build_object('placed', true, 'inventoryId', v_inv.id, 'item', v_moved -> 'item',
                                  'source', v_moved -> 'source');
    END LOOP;
    RETURN jsonb_build_object('placed', false, 'reason', 'NO_ROOM');
END;
$$;

-- inventory.market_move_to_claim: p_quantity (NULL: all) of an escrowed item moves into a new
-- 'market' inventory owned by p_claim_owner_id (the claim that will owe it to a player). The source
-- escrow is deleted when emptied. Returns {inventoryId (the claim's), item, source}.
CREATE OR REPLACE FUNCTION inventory.market_move_to_claim(p_item_id uuid, p_quantity integer,
                                                          p_claim_owner_id uuid, p_reason varchar,
                                                          p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
DECLARE
    v_item inventory_items;
    v_src inventories;
    v_claim uuid;
    v_moved jsonb;
BEGIN
    PERFORM inv_market_check_args(p_item_id, p_quantity, p_reason);
    PERFORM inv_require(p_claim_owner_id IS NOT NULL, 'claimOwnerId', 'required');
    v_item := inv_market_lock_escrowed(p_item_id, p_quantity);
    SELECT * INTO v_src FROM inventories WHERE id = v_item.inventory_id;
    v_claim := inv_market_inventory(v_item, p_claim_owner_id);
    v_moved := inv_transfer_locked(v_item, v_claim, 0, 0, p_quantity, v_src.lock_code, NULL, p_reason, p_reference);
    PERFORM inv_market_drop_if_empty(v_src.id);
    RETURN jsonb_build_object('inventoryId', v_claim, 'item', v_moved -> 'item', 'source', v_moved -> 'source');
END;
$$;

ALTER FUNCTION inventory.market_escrow_item(uuid, uuid, integer, uuid, varchar, varchar) OWNER TO tn1_inventory;
ALTER FUNCTION inventory.market_deliver_item(uuid, integer, uuid, uuid, varchar, varchar) OWNER TO tn1_inventory;
ALTER FUNCTION inventory.market_move_to_claim(uuid, integer, uuid, varchar, varchar) OWNER TO tn1_inventory;
GRANT EXECUTE ON FUNCTION inventory.market_escrow_item(uuid, uuid, integer, uuid, varchar, varchar) TO tn1_market;
GRANT EXECUTE ON FUNCTION inventory.market_deliver_item(uuid, integer, uuid, uuid, varchar, varchar) TO tn1_market;
GRANT EXECUTE ON FUNCTION inventory.market_move_to_claim(uuid, integer, uuid, varchar, varchar) TO tn1_market;
