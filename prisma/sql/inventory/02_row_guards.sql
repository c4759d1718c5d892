-- inventory: what every writer of the inventory tables obeys, procedure or not: an item's
-- bounds, stack and template size; a grid never shrinks past its items; item_ledger is
-- append-only.

CREATE OR REPLACE FUNCTION inventory_items_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tpl item_templates;
    v_inv inventories;
BEGIN
    SELECT * INTO v_tpl FROM item_templates WHERE id = NEW.item_template_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('templateId', NEW.item_template_id));
    END IF;
    PERFORM inv_require(NEW.quantity IS NOT NULL AND NEW.quantity >= 1, 'quantity', 'at least 1');
    IF NEW.quantity > v_tpl.max_stack THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'quantity',
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

CREATE OR REPLACE TRIGGER inventory_items_guard
    BEFORE INSERT OR UPDATE OF inventory_id, item_template_id, grid_x, grid_y, grid_width, grid_height, quantity
    ON inventory_items FOR EACH ROW EXECUTE FUNCTION inventory_items_guard();

-- Shrinking a grid must not strand items outside it.
CREATE OR REPLACE FUNCTION inventories_resize_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inventory_items WHERE inventory_id = NEW.id
                AND (grid_x + grid_width > NEW.grid_width OR grid_y + grid_height > NEW.grid_height)) THEN
        PERFORM raise_error('OUT_OF_BOUNDS', jsonb_build_object('inventoryId', NEW.id,
            'reason', 'ITEMS_OUTSIDE_NEW_SIZE'));
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER inventories_resize_guard
    BEFORE UPDATE OF grid_width, grid_height ON inventories
    FOR EACH ROW EXECUTE FUNCTION inventories_resize_guard();

CREATE OR REPLACE TRIGGER item_ledger_append_only
    BEFORE UPDATE OR DELETE ON item_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

CREATE OR REPLACE TRIGGER item_ledger_no_truncate
    BEFORE TRUNCATE ON item_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- No item leaves without a ledger row (issue 11): inventory_items cascades on an inventory's
-- deletion, so deleting an inventory that still holds items would remove them with no ledger row.
-- Every deleter destroys (or moves) the items through the procedures first, under the inventory's
-- lock; a deletion that finds items left is refused and changes nothing.
CREATE OR REPLACE FUNCTION inventories_delete_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inventory_items WHERE inventory_id = OLD.id) THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('inventoryId', OLD.id,
            'reason', 'INVENTORY_NOT_EMPTY'));
    END IF;
    RETURN OLD;
END;
$$;

CREATE OR REPLACE TRIGGER inventories_delete_guard
    BEFORE DELETE ON inventories FOR EACH ROW EXECUTE FUNCTION inventories_delete_guard();
