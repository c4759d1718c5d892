-- inventory: the item procedures, the only writers of items: add_item, transfer_item (move,
-- split, merge), consume_item, destroy_item. One call = one transaction, locks taken
-- inventories first in id order, then items.
--
-- The weight limit is checked here, under the inventory lock, and not by a (deferred) constraint
-- trigger: such a trigger sees its own snapshot, so two transactions adding to one inventory
-- would each see the other's rows missing and both pass, unless it locked the inventory row,
-- which would then be taken late and out of the global lock order (deadlocks), and it would
-- re-sum the inventory for every row written. Weight is a limit on a set of rows; a lock on the
-- row that owns the set is the cheap, exact way to hold it.
--
-- Ledger: every procedure writes exactly one item_ledger row per operation. Replaying the
-- ledger is uniform: for each row, quantity is subtracted from (from_inventory_id, template_id)
-- and added to (to_inventory_id, template_id); that rebuilds every inventory's per-template totals.
--   create  : item_id = new item,   from NULL, to inventory,   quantity = created
--   move    : item_id = item,       from src,  to dst (may be equal), quantity = whole stack
--   split   : item_id = new item,   related_item_id = source stack, from src, to dst, quantity taken
--   merge   : item_id = source,     related_item_id = target stack, from src, to dst, quantity added
--   consume : item_id = item,       from inventory, to NULL,  quantity consumed
--   destroy : item_id = item,       from inventory, to NULL,  quantity destroyed

-- Creates an item at (p_grid_x, p_grid_y), or at the first free place when both are NULL.
-- Server-authoritative (loot, crafting, purchases): does not ask for the lock code.
CREATE OR REPLACE FUNCTION add_item(p_inventory_id uuid, p_template_id varchar, p_quantity integer,
                         p_grid_x integer, p_grid_y integer, p_durability double precision,
                         p_attachments jsonb, p_custom_data jsonb, p_reason varchar,
                         p_reference varchar DEFAULT NULL)
RETURNS inventory_items
LANGUAGE plpgsql AS $$
DECLARE
    v_tpl item_templates;
    v_inv inventories;
    v_item inventory_items;
    v_x int := p_grid_x;
    v_y int := p_grid_y;
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_inventory_id IS NOT NULL, 'inventoryId', 'required');
    PERFORM inv_require(p_quantity IS NOT NULL AND p_quantity >= 1, 'quantity', 'at least 1');
    PERFORM inv_require((p_grid_x IS NULL) = (p_grid_y IS NULL), 'gridX', 'give both gridX and gridY or neither');
    SELECT * INTO v_tpl FROM item_templates WHERE id = p_template_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('templateId', p_template_id));
    END IF;
    IF p_quantity > v_tpl.max_stack THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above max stack', 'maxStack', v_tpl.max_stack));
    END IF;
    PERFORM inv_require(p_durability IS NULL OR (p_durability >= 0 AND v_tpl.max_durability IS NOT NULL
        AND p_durability <= v_tpl.max_durability), 'durability', 'between 0 and the template max durability');
    PERFORM inv_lock_inventories(p_inventory_id, NULL);
    SELECT * INTO v_inv FROM inventories WHERE id = p_inventory_id;
    PERFORM inv_check_weight(v_inv, p_quantity * v_tpl.weight);
    IF v_x IS NULL THEN
        SELECT f.x, f.y INTO v_x, v_y FROM inv_first_free(v_inv, v_tpl.width, v_tpl.height) f;
        IF v_x IS NULL THEN
            PERFORM raise_error('SLOT_OCCUPIED', jsonb_build_object('inventoryId', p_inventory_id,
                'reason', 'NO_FREE_PLACE', 'gridWidth', v_tpl.width, 'gridHeight', v_tpl.height));
        END IF;
    ELSE
        PERFORM inv_check_bounds(v_inv, v_x, v_y, v_tpl.width, v_tpl.height);
        PERFORM inv_check_free(p_inventory_id, v_x, v_y, v_tpl.width, v_tpl.height, NULL);
    END IF;
    INSERT INTO inventory_items (id, inventory_id, item_template_id, grid_x, grid_y, grid_width, grid_height,
                                 quantity, durability, attachments, custom_data)
    VALUES (gen_random_uuid(), p_inventory_id, v_tpl.id, v_x, v_y, v_tpl.width, v_tpl.height, p_quantity,
            COALESCE(p_durability, v_tpl.max_durability), p_attachments, p_custom_data)
    RETURNING * INTO v_item;
    PERFORM inv_ledger(v_item.id, v_tpl.id, NULL, p_inventory_id, p_quantity, 'create', NULL, p_reason, p_reference);
    RETURN v_item;
END;
$$;

-- The three outcomes of transfer_item, each with its one ledger row. Callers hold the locks.
CREATE OR REPLACE FUNCTION inv_do_move(p_item inventory_items, p_to uuid, p_x int, p_y int, p_reason text, p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_moved inventory_items;
BEGIN
    UPDATE inventory_items SET inventory_id = p_to, grid_x = p_x, grid_y = p_y
     WHERE id = p_item.id RETURNING * INTO v_moved;
    PERFORM inv_ledger(p_item.id, p_item.item_template_id, p_item.inventory_id, p_to, p_item.quantity,
                       'move', NULL, p_reason, p_reference);
    RETURN jsonb_build_object('operation', 'moved', 'item', inv_item_json(v_moved), 'source', NULL);
END;
$$;

CREATE OR REPLACE FUNCTION inv_do_split(p_item inventory_items, p_to uuid, p_x int, p_y int, p_quantity int,
                             p_reason text, p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_new inventory_items;
    v_source inventory_items;
BEGIN
    UPDATE inventory_items SET quantity = quantity - p_quantity WHERE id = p_item.id RETURNING * INTO v_source;
    INSERT INTO inventory_items (id, inventory_id, item_template_id, grid_x, grid_y, grid_width, grid_height,
                                 quantity, durability, attachments, custom_data)
    VALUES (gen_random_uuid(), p_to, p_item.item_template_id, p_x, p_y, p_item.grid_width, p_item.grid_height,
            p_quantity, p_item.durability, p_item.attachments, p_item.custom_data)
    RETURNING * INTO v_new;
    PERFORM inv_ledger(v_new.id, p_item.item_template_id, p_item.inventory_id, p_to, p_quantity,
                       'split', p_item.id, p_reason, p_reference);
    RETURN jsonb_build_object('operation', 'split', 'item', inv_item_json(v_new), 'source', inv_item_json(v_source));
END;
$$;

CREATE OR REPLACE FUNCTION inv_do_merge(p_item inventory_items, p_target inventory_items, p_quantity int,
                             p_reason text, p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_target inventory_items;
    v_source inventory_items;
BEGIN
    IF p_quantity = p_item.quantity THEN
        DELETE FROM inventory_items WHERE id = p_item.id;
    ELSE
        UPDATE inventory_items SET quantity = quantity - p_quantity WHERE id = p_item.id RETURNING * INTO v_source;
    END IF;
    UPDATE inventory_items SET quantity = quantity + p_quantity WHERE id = p_target.id RETURNING * INTO v_target;
    PERFORM inv_ledger(p_item.id, p_item.item_template_id, p_item.inventory_id, p_target.inventory_id,
                       p_quantity, 'merge', p_target.id, p_reason, p_reference);
    RETURN jsonb_build_object('operation', 'merged', 'item', inv_item_json(v_target), 'source', inv_item_json(v_source));
END;
$$;

-- The checks and the change of a transfer, once the item and both inventories are locked
-- (inv_lock_item): lock codes, quantity, bounds, overlap, stack and weight, then the move,
-- split or merge with its ledger row. transfer_item and inventory.move_item share it.
-- p_from_code opens a locked source, p_to_code a locked destination: each end is checked with
-- its own code, so a move between two locked inventories needs both.
CREATE OR REPLACE FUNCTION inv_transfer_locked(p_item inventory_items, p_to_inventory_id uuid, p_grid_x integer,
                              p_grid_y integer, p_quantity integer, p_from_code varchar, p_to_code varchar,
                              p_reason varchar, p_reference varchar)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_item inventory_items := p_item;
    v_src inventories;
    v_dst inventories;
    v_tpl item_templates;
    v_target inventory_items;
    v_qty int;
BEGIN
    SELECT * INTO v_src FROM inventories WHERE id = v_item.inventory_id;
    IF p_to_inventory_id = v_src.id THEN
        v_dst := v_src;
    ELSE
        SELECT * INTO v_dst FROM inventories WHERE id = p_to_inventory_id;
    END IF;
    SELECT * INTO v_tpl FROM item_templates WHERE id = v_item.item_template_id;
    PERFORM inv_check_access(v_src, p_from_code);
    IF v_dst.id <> v_src.id THEN
        PERFORM inv_check_access(v_dst, p_to_code);
    END IF;
    v_qty := COALESCE(p_quantity, v_item.quantity);
    IF v_qty > v_item.quantity THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above the stack quantity', 'available', v_item.quantity));
    END IF;
    PERFORM inv_check_bounds(v_dst, p_grid_x, p_grid_y, 1, 1);
    v_target := inv_occupant(v_dst.id, p_grid_x, p_grid_y, 1, 1, v_item.id);
    IF v_target.id IS NOT NULL AND v_tpl.stackable AND v_target.item_template_id = v_item.item_template_id THEN
        IF v_target.quantity + v_qty > v_tpl.max_stack THEN
            PERFORM raise_error('SLOT_OCCUPIED', jsonb_build_object('inventoryId', v_dst.id, 'gridX', p_grid_x,
                'gridY', p_grid_y, 'occupiedBy', v_target.id, 'reason', 'STACK_FULL',
                'room', v_tpl.max_stack - v_target.quantity));
        END IF;
    ELSE
        v_target := NULL;
        PERFORM inv_check_bounds(v_dst, p_grid_x, p_grid_y, v_item.grid_width, v_item.grid_height);
        -- A whole-stack move may land on its own old cells; a split leaves the source in place.
        PERFORM inv_check_free(v_dst.id, p_grid_x, p_grid_y, v_item.grid_width, v_item.grid_height,
                               CASE WHEN v_qty = v_item.quantity THEN v_item.id END);
    END IF;
    IF v_dst.id <> v_src.id THEN
        PERFORM inv_check_weight(v_dst, v_qty * v_tpl.weight);
    END IF;
    IF v_target.id IS NOT NULL THEN
        RETURN inv_do_merge(v_item, v_target, v_qty, p_reason, p_reference);
    ELSIF v_qty = v_item.quantity THEN
        RETURN inv_do_move(v_item, v_dst.id, p_grid_x, p_grid_y, p_reason, p_reference);
    END IF;
    RETURN inv_do_split(v_item, v_dst.id, p_grid_x, p_grid_y, v_qty, p_reason, p_reference);
END;
$$;

-- The arguments every transfer checks before it takes a lock.
CREATE OR REPLACE FUNCTION inv_check_transfer_args(p_item_id uuid, p_to_inventory_id uuid, p_grid_x integer,
                              p_grid_y integer, p_quantity integer, p_reason varchar) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM inv_require(p_to_inventory_id IS NOT NULL, 'toInventoryId', 'required');
    PERFORM inv_require(p_grid_x IS NOT NULL AND p_grid_y IS NOT NULL, 'gridX', 'gridX and gridY are required');
    PERFORM inv_require(p_quantity IS NULL OR p_quantity >= 1, 'quantity', 'at least 1');
END;
$$;

-- Moves, splits (p_quantity below the stack) or merges (a same-template stack covers the target
-- cell) an item, within one inventory or across two, for a caller that has no principal to check
-- (another owner's procedure, tests, the bench's raw row). p_expected_from_inventory: where the
-- caller says the item is; when it is elsewhere, 409 CONFLICT (ITEM_MOVED). Game servers move
-- items through inventory.move_item (07_item_operations.sql), which checks the principal too.
CREATE OR REPLACE FUNCTION transfer_item(p_item_id uuid, p_to_inventory_id uuid, p_grid_x integer, p_grid_y integer,
                              p_quantity integer, p_lock_code varchar, p_expected_from_inventory uuid,
                              p_reason varchar, p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_check_transfer_args(p_item_id, p_to_inventory_id, p_grid_x, p_grid_y, p_quantity, p_reason);
    RETURN inv_transfer_locked(inv_lock_item(p_item_id, p_to_inventory_id, p_expected_from_inventory),
                               p_to_inventory_id, p_grid_x, p_grid_y, p_quantity, p_lock_code,
                               p_lock_code, p_reason, p_reference);
END;
$$;

-- Removes p_quantity (NULL: all) from an item, deleting it at zero: consumption and destruction.
CREATE OR REPLACE FUNCTION inv_take(p_item_id uuid, p_quantity int, p_operation text, p_reason text, p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM inv_require(p_quantity IS NULL OR p_quantity >= 1, 'quantity', 'at least 1');
    RETURN inv_take_locked(inv_lock_item(p_item_id, NULL, NULL), p_quantity, p_operation, p_reason, p_reference);
END;
$$;

-- inv_take once the item and its inventory are locked (inventory.consume_item shares it).
CREATE OR REPLACE FUNCTION inv_take_locked(p_item inventory_items, p_quantity int, p_operation text, p_reason text,
                                           p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_item inventory_items := p_item;
    v_left inventory_items;
    v_qty int;
BEGIN
    v_qty := COALESCE(p_quantity, v_item.quantity);
    IF v_qty > v_item.quantity THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above the stack quantity', 'available', v_item.quantity));
    END IF;
    IF v_qty = v_item.quantity THEN
        DELETE FROM inventory_items WHERE id = v_item.id;
    ELSE
        UPDATE inventory_items SET quantity = quantity - v_qty WHERE id = v_item.id RETURNING * INTO v_left;
    END IF;
    PERFORM inv_ledger(v_item.id, v_item.item_template_id, v_item.inventory_id, NULL, v_qty,
                       p_operation, NULL, p_reason, p_reference);
    RETURN jsonb_build_object('item', inv_item_json(v_left), 'removed', v_qty);
END;
$$;

-- Uses up part of a stack (eating, reloading, crafting input). p_quantity is required.
CREATE OR REPLACE FUNCTION consume_item(p_item_id uuid, p_quantity integer, p_reason varchar,
                             p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_require(p_quantity IS NOT NULL, 'quantity', 'required');
    RETURN inv_take(p_item_id, p_quantity, 'consume', p_reason, p_reference);
END;
$$;

-- Destroys p_quantity of an item, or all of it when NULL (player drop-to-void, decay, admin).
CREATE OR REPLACE FUNCTION destroy_item(p_item_id uuid, p_quantity integer, p_reason varchar,
                             p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql AS $$
    SELECT inv_take(p_item_id, p_quantity, 'destroy', p_reason, p_reference);
$$;
