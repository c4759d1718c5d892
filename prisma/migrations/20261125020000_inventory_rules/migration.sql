-- Inventory rules (issue 4): the grid constraints on inventory_items and the procedures that are
-- the only writers of items. A duplicated or lost item is the worst bug this product can have, so
-- every rule lives here, checked under row locks in one call and one transaction; the service
-- checks first for friendly errors, the database has the last word.
--
-- Errors: RAISE EXCEPTION with SQLSTATE P0001, MESSAGE = a stable code the service maps to its
-- AppError code one to one (OUT_OF_BOUNDS, OVER_WEIGHT, SLOT_OCCUPIED, INVENTORY_LOCKED,
-- NOT_FOUND, VALIDATION_FAILED, FORBIDDEN), DETAIL = a JSON object with the particulars.
-- SQLSTATE 23P01 (exclusion_violation on inventory_items_no_overlap_excl) also means
-- SLOT_OCCUPIED; the procedures check overlap under the inventory lock first, so it is only
-- reachable by writers that bypass them.
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
--
-- Not here yet: the 1,000,000 active items per server limit (LIMIT_REACHED). Which server an
-- inventory belongs to is known to the service, not to these tables; the service checks it
-- before add_item / a split, and a per-server counter can be added to add_item later.

-- --- ledger: which operation, and the other stack of a split or merge ------------------------

ALTER TABLE item_ledger ADD COLUMN operation VARCHAR(16);
ALTER TABLE item_ledger ADD COLUMN related_item_id UUID;
ALTER TABLE item_ledger ADD CONSTRAINT item_ledger_operation_check
    CHECK (operation IN ('create', 'move', 'split', 'merge', 'consume', 'destroy'));
-- The history of a stack includes the splits taken from it and the merges into it.
CREATE INDEX idx_item_ledger_related ON item_ledger(related_item_id, created_at);

-- --- static constraints ----------------------------------------------------------------------

ALTER TABLE inventories ADD CONSTRAINT inventories_grid_check
    CHECK (grid_width > 0 AND grid_height > 0 AND (max_weight IS NULL OR max_weight >= 0));

ALTER TABLE inventory_items ADD CONSTRAINT inventory_items_quantity_check CHECK (quantity >= 1);
ALTER TABLE inventory_items ADD CONSTRAINT inventory_items_position_check
    CHECK (grid_x >= 0 AND grid_y >= 0 AND grid_width > 0 AND grid_height > 0);

-- Two items of one inventory never share a cell. Two half-open integer ranges per item: rows
-- conflict only when both the x ranges and the y ranges overlap, which is exactly rectangle
-- overlap. Chosen over box(point, point): integer arithmetic, no float geometry, and adjacent
-- items ([0,2) and [2,3)) do not touch without the "- 1" the inclusive box needs.
ALTER TABLE inventory_items ADD CONSTRAINT inventory_items_no_overlap_excl EXCLUDE USING gist (
    inventory_id WITH =,
    int4range(grid_x, grid_x + grid_width) WITH &&,
    int4range(grid_y, grid_y + grid_height) WITH &&
);

-- --- helpers -----------------------------------------------------------------------------------

-- The one way these functions fail: a stable code in MESSAGE, particulars as JSON in DETAIL.
CREATE FUNCTION inv_fail(p_code text, p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_code, DETAIL = COALESCE(p_detail, '{}')::text;
END;
$$;

-- The API's item shape (SPEC §7), so the service passes it through.
CREATE FUNCTION inv_item_json(i inventory_items) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN i.id IS NULL THEN NULL ELSE jsonb_build_object(
        'id', i.id, 'inventoryId', i.inventory_id, 'templateId', i.item_template_id,
        'gridX', i.grid_x, 'gridY', i.grid_y, 'gridWidth', i.grid_width, 'gridHeight', i.grid_height,
        'quantity', i.quantity, 'durability', i.durability, 'attachments', i.attachments,
        'customData', i.custom_data) END;
$$;

CREATE FUNCTION inv_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM inv_fail('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

-- Locks one or two inventories in id order, so two transfers crossing A->B and B->A queue
-- instead of deadlocking. NO KEY UPDATE: it serialises the procedures against each other
-- without blocking the KEY SHARE locks that foreign-key checks of unrelated writers take.
CREATE FUNCTION inv_lock_inventories(p_a uuid, p_b uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_locked uuid[];
BEGIN
    SELECT array_agg(id) INTO v_locked FROM (
        SELECT id FROM inventories WHERE id IN (p_a, p_b) ORDER BY id FOR NO KEY UPDATE
    ) l;
    IF p_a IS NOT NULL AND NOT p_a = ANY (COALESCE(v_locked, '{}')) THEN
        PERFORM inv_fail('NOT_FOUND', jsonb_build_object('inventoryId', p_a));
    END IF;
    IF p_b IS NOT NULL AND NOT p_b = ANY (COALESCE(v_locked, '{}')) THEN
        PERFORM inv_fail('NOT_FOUND', jsonb_build_object('inventoryId', p_b));
    END IF;
END;
$$;

-- Locks the item's inventory (and p_to) before the item itself: every writer takes inventories
-- first, in id order, then items, so lock order is global. The item may move while we wait for
-- its old inventory; then the attempt is rolled back to its savepoint, which releases its locks
-- (keeping them would break the order), and the item is looked up again.
CREATE FUNCTION inv_lock_item(p_item_id uuid, p_to uuid, p_expected_from uuid) RETURNS inventory_items
LANGUAGE plpgsql AS $$
DECLARE
    v_from uuid;
    v_item inventory_items;
BEGIN
    FOR attempt IN 1..10 LOOP
        SELECT inventory_id INTO v_from FROM inventory_items WHERE id = p_item_id;
        IF NOT FOUND OR v_from IS NULL THEN
            PERFORM inv_fail('NOT_FOUND', jsonb_build_object('itemId', p_item_id));
        END IF;
        IF p_expected_from IS NOT NULL AND v_from <> p_expected_from THEN
            PERFORM inv_fail('FORBIDDEN', jsonb_build_object('itemId', p_item_id,
                'reason', 'NOT_IN_EXPECTED_INVENTORY', 'expectedInventoryId', p_expected_from));
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
CREATE FUNCTION inv_check_access(p_inv inventories, p_lock_code text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_inv.locked IS TRUE AND (p_lock_code IS NULL OR p_inv.lock_code IS DISTINCT FROM p_lock_code) THEN
        PERFORM inv_fail('INVENTORY_LOCKED', jsonb_build_object('inventoryId', p_inv.id,
            'reason', CASE WHEN p_lock_code IS NULL THEN 'CODE_REQUIRED' ELSE 'WRONG_CODE' END));
    END IF;
END;
$$;

CREATE FUNCTION inv_check_bounds(p_inv inventories, p_x int, p_y int, p_w int, p_h int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_x < 0 OR p_y < 0 OR p_x + p_w > p_inv.grid_width OR p_y + p_h > p_inv.grid_height THEN
        PERFORM inv_fail('OUT_OF_BOUNDS', jsonb_build_object('inventoryId', p_inv.id,
            'gridX', p_x, 'gridY', p_y, 'gridWidth', p_w, 'gridHeight', p_h,
            'inventoryWidth', p_inv.grid_width, 'inventoryHeight', p_inv.grid_height));
    END IF;
END;
$$;

-- The first other item covering any cell of the rectangle (p_except: the item being moved,
-- whose old cells are free for itself).
CREATE FUNCTION inv_occupant(p_inv uuid, p_x int, p_y int, p_w int, p_h int, p_except uuid)
RETURNS inventory_items
LANGUAGE sql STABLE AS $$
    SELECT * FROM inventory_items
     WHERE inventory_id = p_inv AND id IS DISTINCT FROM p_except
       AND int4range(grid_x, grid_x + grid_width) && int4range(p_x, p_x + p_w)
       AND int4range(grid_y, grid_y + grid_height) && int4range(p_y, p_y + p_h)
     ORDER BY grid_y, grid_x LIMIT 1;
$$;

CREATE FUNCTION inv_check_free(p_inv uuid, p_x int, p_y int, p_w int, p_h int, p_except uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_other inventory_items := inv_occupant(p_inv, p_x, p_y, p_w, p_h, p_except);
BEGIN
    IF v_other.id IS NOT NULL THEN
        PERFORM inv_fail('SLOT_OCCUPIED', jsonb_build_object('inventoryId', p_inv,
            'gridX', p_x, 'gridY', p_y, 'occupiedBy', v_other.id));
    END IF;
END;
$$;

CREATE FUNCTION inventory_weight(p_inv uuid) RETURNS double precision
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(sum(i.quantity * t.weight), 0)
      FROM inventory_items i JOIN item_templates t ON t.id = i.item_template_id
     WHERE i.inventory_id = p_inv;
$$;

-- Only correct under the inventory's row lock: that lock is what makes the sum current.
CREATE FUNCTION inv_check_weight(p_inv inventories, p_added double precision) RETURNS void
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
        PERFORM inv_fail('OVER_WEIGHT', jsonb_build_object('inventoryId', p_inv.id,
            'maxWeight', p_inv.max_weight, 'weight', v_current, 'added', p_added));
    END IF;
END;
$$;

-- Row-major first free place, the order a player reads a grid in.
CREATE FUNCTION inv_first_free(p_inv inventories, p_w int, p_h int, OUT x int, OUT y int)
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

CREATE FUNCTION inv_ledger(p_item_id uuid, p_template text, p_from uuid, p_to uuid, p_quantity int,
                           p_operation text, p_related uuid, p_reason text, p_reference text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO item_ledger (item_id, template_id, from_inventory_id, to_inventory_id, quantity,
                             operation, related_item_id, reason, reference)
    VALUES (p_item_id, p_template, p_from, p_to, p_quantity, p_operation, p_related, p_reason, p_reference);
$$;

CREATE FUNCTION inv_check_reason(p_reason text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_require(p_reason IS NOT NULL AND length(p_reason) BETWEEN 1 AND 32, 'reason',
        'required, at most 32 characters');
END;
$$;

-- --- row guard: bounds, stack and template size, whoever writes ------------------------------

CREATE FUNCTION inventory_items_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tpl item_templates;
    v_inv inventories;
BEGIN
    SELECT * INTO v_tpl FROM item_templates WHERE id = NEW.item_template_id;
    IF NOT FOUND THEN
        PERFORM inv_fail('NOT_FOUND', jsonb_build_object('templateId', NEW.item_template_id));
    END IF;
    PERFORM inv_require(NEW.quantity IS NOT NULL AND NEW.quantity >= 1, 'quantity', 'at least 1');
    IF NEW.quantity > v_tpl.max_stack THEN
        PERFORM inv_fail('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above max stack', 'maxStack', v_tpl.max_stack));
    END IF;
    -- Rotation is not a feature yet: an item has its template's footprint.
    PERFORM inv_require(NEW.grid_width = v_tpl.width AND NEW.grid_height = v_tpl.height, 'gridWidth',
        'the template size');
    IF NEW.inventory_id IS NOT NULL THEN
        SELECT * INTO v_inv FROM inventories WHERE id = NEW.inventory_id;
        IF FOUND THEN
            PERFORM inv_check_bounds(v_inv, NEW.grid_x, NEW.grid_y, NEW.grid_width, NEW.grid_height);
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER inventory_items_guard
    BEFORE INSERT OR UPDATE OF inventory_id, item_template_id, grid_x, grid_y, grid_width, grid_height, quantity
    ON inventory_items FOR EACH ROW EXECUTE FUNCTION inventory_items_guard();

-- Shrinking a grid must not strand items outside it.
CREATE FUNCTION inventories_resize_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inventory_items WHERE inventory_id = NEW.id
                AND (grid_x + grid_width > NEW.grid_width OR grid_y + grid_height > NEW.grid_height)) THEN
        PERFORM inv_fail('OUT_OF_BOUNDS', jsonb_build_object('inventoryId', NEW.id,
            'reason', 'ITEMS_OUTSIDE_NEW_SIZE'));
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER inventories_resize_guard
    BEFORE UPDATE OF grid_width, grid_height ON inventories
    FOR EACH ROW EXECUTE FUNCTION inventories_resize_guard();

-- --- procedures: the only writers of items ----------------------------------------------------
-- The weight limit is checked here, under the inventory lock, and not by a (deferred) constraint
-- trigger: such a trigger sees its own snapshot, so two transactions adding to one inventory
-- would each see the other's rows missing and both pass, unless it locked the inventory row,
-- which would then be taken late and out of the global lock order (deadlocks), and it would
-- re-sum the inventory for every row written. Weight is a limit on a set of rows; a lock on the
-- row that owns the set is the cheap, exact way to hold it.

-- Creates an item at (p_grid_x, p_grid_y), or at the first free place when both are NULL.
-- Server-authoritative (loot, crafting, purchases): does not ask for the lock code.
CREATE FUNCTION add_item(p_inventory_id uuid, p_template_id varchar, p_quantity integer,
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
        PERFORM inv_fail('NOT_FOUND', jsonb_build_object('templateId', p_template_id));
    END IF;
    IF p_quantity > v_tpl.max_stack THEN
        PERFORM inv_fail('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
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
            PERFORM inv_fail('SLOT_OCCUPIED', jsonb_build_object('inventoryId', p_inventory_id,
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
CREATE FUNCTION inv_do_move(p_item inventory_items, p_to uuid, p_x int, p_y int, p_reason text, p_reference text)
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

CREATE FUNCTION inv_do_split(p_item inventory_items, p_to uuid, p_x int, p_y int, p_quantity int,
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

CREATE FUNCTION inv_do_merge(p_item inventory_items, p_target inventory_items, p_quantity int,
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

-- Moves, splits (p_quantity below the stack) or merges (a same-template stack covers the target
-- cell) an item, within one inventory or across two. p_expected_from_inventory: the inventory
-- the caller was authorised for; if the item is elsewhere by the time it is locked, FORBIDDEN
-- (a stale or forged view never moves someone else's item).
CREATE FUNCTION transfer_item(p_item_id uuid, p_to_inventory_id uuid, p_grid_x integer, p_grid_y integer,
                              p_quantity integer, p_lock_code varchar, p_expected_from_inventory uuid,
                              p_reason varchar, p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_item inventory_items;
    v_src inventories;
    v_dst inventories;
    v_tpl item_templates;
    v_target inventory_items;
    v_qty int;
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM inv_require(p_to_inventory_id IS NOT NULL, 'toInventoryId', 'required');
    PERFORM inv_require(p_grid_x IS NOT NULL AND p_grid_y IS NOT NULL, 'gridX', 'gridX and gridY are required');
    PERFORM inv_require(p_quantity IS NULL OR p_quantity >= 1, 'quantity', 'at least 1');
    v_item := inv_lock_item(p_item_id, p_to_inventory_id, p_expected_from_inventory);
    SELECT * INTO v_src FROM inventories WHERE id = v_item.inventory_id;
    SELECT * INTO v_dst FROM inventories WHERE id = p_to_inventory_id;
    SELECT * INTO v_tpl FROM item_templates WHERE id = v_item.item_template_id;
    PERFORM inv_check_access(v_src, p_lock_code);
    IF v_dst.id <> v_src.id THEN
        PERFORM inv_check_access(v_dst, p_lock_code);
    END IF;
    v_qty := COALESCE(p_quantity, v_item.quantity);
    IF v_qty > v_item.quantity THEN
        PERFORM inv_fail('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
            'problem', 'above the stack quantity', 'available', v_item.quantity));
    END IF;
    PERFORM inv_check_bounds(v_dst, p_grid_x, p_grid_y, 1, 1);
    v_target := inv_occupant(v_dst.id, p_grid_x, p_grid_y, 1, 1, v_item.id);
    IF v_target.id IS NOT NULL AND v_tpl.stackable AND v_target.item_template_id = v_item.item_template_id THEN
        IF v_target.quantity + v_qty > v_tpl.max_stack THEN
            PERFORM inv_fail('SLOT_OCCUPIED', jsonb_build_object('inventoryId', v_dst.id, 'gridX', p_grid_x,
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

-- Removes p_quantity (NULL: all) from an item, deleting it at zero: consumption and destruction.
CREATE FUNCTION inv_take(p_item_id uuid, p_quantity int, p_operation text, p_reason text, p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_item inventory_items;
    v_left inventory_items;
    v_qty int;
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM inv_require(p_quantity IS NULL OR p_quantity >= 1, 'quantity', 'at least 1');
    v_item := inv_lock_item(p_item_id, NULL, NULL);
    v_qty := COALESCE(p_quantity, v_item.quantity);
    IF v_qty > v_item.quantity THEN
        PERFORM inv_fail('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
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
CREATE FUNCTION consume_item(p_item_id uuid, p_quantity integer, p_reason varchar,
                             p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM inv_require(p_quantity IS NOT NULL, 'quantity', 'required');
    RETURN inv_take(p_item_id, p_quantity, 'consume', p_reason, p_reference);
END;
$$;

-- Destroys p_quantity of an item, or all of it when NULL (player drop-to-void, decay, admin).
CREATE FUNCTION destroy_item(p_item_id uuid, p_quantity integer, p_reason varchar,
                             p_reference varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql AS $$
    SELECT inv_take(p_item_id, p_quantity, 'destroy', p_reason, p_reference);
$$;
