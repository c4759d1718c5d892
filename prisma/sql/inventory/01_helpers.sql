-- inventory: helpers of the item procedures: the API's item shape, locks in the global order
-- (inventories by id, then items), and the grid, weight, access and reason checks.
--
-- Errors: raise_error (platform/01_errors.sql) with a code of InventoryErrors in
-- @trustno1/contracts (OUT_OF_BOUNDS, OVER_WEIGHT, SLOT_OCCUPIED, INVENTORY_LOCKED, NOT_FOUND,
-- VALIDATION_FAILED, FORBIDDEN, LIMIT_REACHED, CONFLICT); the service maps each to the AppError of the same
-- code (libs/inventory-domain inventoryErrorOf).

-- The API's item shape (SPEC §7), so the service passes it through.
CREATE OR REPLACE FUNCTION inv_item_json(i inventory_items) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN i.id IS NULL THEN NULL ELSE jsonb_build_object(
        'id', i.id, 'inventoryId', i.inventory_id, 'templateId', i.item_template_id,
        'gridX', i.grid_x, 'gridY', i.grid_y, 'gridWidth', i.grid_width, 'gridHeight', i.grid_height,
        'quantity', i.quantity, 'durability', i.durability, 'attachments', i.attachments,
        'customData', i.custom_data) END;
$$;

CREATE OR REPLACE FUNCTION inv_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

-- Locks one or two inventories in id order, so two transfers crossing A->B and B->A queue
-- instead of deadlocking. NO KEY UPDATE: it serialises the procedures against each other
-- without blocking the KEY SHARE locks that foreign-key checks of unrelated writers take.
CREATE OR REPLACE FUNCTION inv_lock_inventories(p_a uuid, p_b uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_locked uuid[];
BEGIN
    SELECT array_agg(id) INTO v_locked FROM (
        SELECT id FROM inventories WHERE id IN (p_a, p_b) ORDER BY id FOR NO KEY UPDATE
    ) l;
    IF p_a IS NOT NULL AND NOT p_a = ANY (COALESCE(v_locked, '{}')) THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('inventoryId', p_a));
    END IF;
    IF p_b IS NOT NULL AND NOT p_b = ANY (COALESCE(v_locked, '{}')) THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('inventoryId', p_b));
    END IF;
END;
$$;

-- Locks the item's inventory (and p_to) before the item itself: every writer takes inventories
-- first, in id order, then items, so lock order is global. The item may move while we wait for
-- its old inventory; then the attempt is rolled back to its savepoint, which releases its locks
-- (keeping them would break the order), and the item is looked up again. p_expected_from: where
-- the caller says the item is; when it is elsewhere (now, or once its inventory is locked), 409
-- CONFLICT with reason ITEM_MOVED, so of many racing moves naming one source exactly one wins.
CREATE OR REPLACE FUNCTION inv_lock_item(p_item_id uuid, p_to uuid, p_expected_from uuid) RETURNS inventory_items
LANGUAGE plpgsql AS $$
DECLARE
    v_from uuid;
    v_item inventory_items;
BEGIN
    FOR attempt IN 1..10 LOOP
        SELECT inventory_id INTO v_from FROM inventory_items WHERE id = p_item_id;
        IF NOT FOUND OR v_from IS NULL THEN
            PERFORM raise_error('NOT_FOUND', jsonb_build_object('itemId', p_item_id));
        END IF;
        IF p_expected_from IS NOT NULL AND v_from <> p_expected_from THEN
            PERFORM raise_error('CONFLICT', jsonb_build_object('itemId', p_item_id,
                'reason', 'ITEM_MOVED', 'expectedInventoryId', p_expected_from));
        END IF;
        BEGIN
            PERFORM inv_lock_inventories(v_from, p_to);
            SELECT * INTO v_item FROM inventory_items WHERE id = p_item_id FOR UPDATE;
            IF FOUND AND v_item.inventory_id = v_from THEN
                RETURN v_item;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'IV001', MESSAGE = 'item moved while locking';
        EXCEPTION WHEN SQLSTATE 'IV001' THEN
            NULL; -- locks of this attempt are released; look again
        END;
    END LOOP;
    RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'item kept moving while locking, retry';
END;
$$;

-- Lock codes guard taking from and putting into a locked container (SPEC §7).
CREATE OR REPLACE FUNCTION inv_check_access(p_inv inventories, p_lock_code text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_inv.locked IS TRUE AND (p_lock_code IS NULL OR p_inv.lock_code IS DISTINCT FROM p_lock_code) THEN
        PERFORM raise_error('INVENTORY_LOCKED', jsonb_build_object('inventoryId', p_inv.id,
            'reason', CASE WHEN p_lock_code IS NULL THEN 'CODE_REQUIRED' ELSE 'WRONG_CODE' END));
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION inv_check_bounds(p_inv inventories, p_x int, p_y int, p_w int, p_h int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_x < 0 OR p_y < 0 OR p_x + p_w > p_inv.grid_width OR p_y + p_h > p_inv.grid_height THEN
        PERFORM raise_error('OUT_OF_BOUNDS', jsonb_build_object('inventoryId', p_inv.id,
            'gridX', p_x, 'gridY', p_y, 'gridWidth', p_w, 'gridHeight', p_h,
            'inventoryWidth', p_inv.grid_width, 'inventoryHeight', p_inv.grid_height));
    END IF;
END;
$$;

-- The first other item covering any cell of the rectangle (p_except: the item being moved,
-- whose old cells are free for itself).
CREATE OR REPLACE FUNCTION inv_occupant(p_inv uuid, p_x int, p_y int, p_w int, p_h int, p_except uuid)
RETURNS inventory_items
LANGUAGE sql STABLE AS $$
    SELECT * FROM inventory_items
     WHERE inventory_id = p_inv AND id IS DISTINCT FROM p_except
       AND int4range(grid_x, grid_x + grid_width) && int4range(p_x, p_x + p_w)
       AND int4range(grid_y, grid_y + grid_height) && int4range(p_y, p_y + p_h)
     ORDER BY grid_y, grid_x LIMIT 1;
$$;

CREATE OR REPLACE FUNCTION inv_check_free(p_inv uuid, p_x int, p_y int, p_w int, p_h int, p_except uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_other inventory_items := inv_occupant(p_inv, p_x, p_y, p_w, p_h, p_except);
BEGIN
    IF v_other.id IS NOT NULL THEN
        PERFORM raise_error('SLOT_OCCUPIED', jsonb_build_object('inventoryId', p_inv,
            'gridX', p_x, 'gridY', p_y, 'occupiedBy', v_other.id));
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION inventory_weight(p_inv uuid) RETURNS double precision
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(sum(i.quantity * t.weight), 0)
      FROM inventory_items i JOIN item_templates t ON t.id = i.item_template_id
     WHERE i.inventory_id = p_inv;
$$;

-- Only correct under the inventory's row lock: that lock is what makes the sum current.
CREATE OR REPLACE FUNCTION inv_check_weight(p_inv inventories, p_added double precision) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_current double precision;
BEGIN
    IF p_inv.max_weight IS NULL OR p_added <= 0 THEN
        RETURN;
    END IF;
    v_current := inventory_weight(p_inv.id);
    -- A small tolerance: weights are floats and 0.1 * 3 is not 0.3.
    IF v_current + p_added > p_inv.max_weight + 1e-9 THEN
        PERFORM raise_error('OVER_WEIGHT', jsonb_build_object('inventoryId', p_inv.id,
            'maxWeight', p_inv.max_weight, 'weight', v_current, 'added', p_added));
    END IF;
END;
$$;

-- Row-major first free place, the order a player reads a grid in.
CREATE OR REPLACE FUNCTION inv_first_free(p_inv inventories, p_w int, p_h int, OUT x int, OUT y int)
LANGUAGE sql STABLE AS $$
    SELECT gx, gy
      FROM generate_series(0, p_inv.grid_height - p_h) gy, generate_series(0, p_inv.grid_width - p_w) gx
     WHERE NOT EXISTS (
        SELECT 1 FROM inventory_items i
         WHERE i.inventory_id = p_inv.id
           AND int4range(i.grid_x, i.grid_x + i.grid_width) && int4range(gx, gx + p_w)
           AND int4range(i.grid_y, i.grid_y + i.grid_height) && int4range(gy, gy + p_h))
     ORDER BY gy, gx LIMIT 1;
$$;

CREATE OR REPLACE FUNCTION inv_ledger(p_item_id uuid, p_template text, p_from uuid, p_to uuid, p_quantity int,
                           p_operation text, p_related uuid, p_reason text, p_reference text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO item_ledger (item_id, template_id, from_inventory_id, to_inventory_id, quantity,
                             operation, related_item_id, reason, reference)
    VALUES (p_item_id, p_template, p_from, p_to, p_quantity, p_operation, p_related, p_reason, p_reference);
$$;

CREATE OR REPLACE FUNCTION inv_check_reason(p_reason text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_require(p_reason IS NOT NULL AND length(p_reason) BETWEEN 1 AND 32, 'reason',
        'required, at most 32 characters');
END;
$$;
