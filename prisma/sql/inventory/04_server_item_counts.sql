-- inventory: the active items limit per game server (SPEC section 4). server_item_counts is kept
-- by these triggers in the writer's transaction, so the check is one row update instead of a
-- COUNT(*) per add; an increment past inventory_settings.max_items_per_server is LIMIT_REACHED,
-- except into a corpse (a death must not fail on a limit).

-- The counter row exists from the server's first inventory on, so the trigger below only updates.
CREATE OR REPLACE FUNCTION inventories_server_counter() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.server_id IS NOT NULL THEN
        INSERT INTO server_item_counts (server_id) VALUES (NEW.server_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER inventories_server_counter
    AFTER INSERT ON inventories FOR EACH ROW EXECUTE FUNCTION inventories_server_counter();

-- Items deleted by ON DELETE CASCADE no longer find their inventory in the row trigger below, so
-- a deleted inventory takes its remaining items off its server's count itself.
CREATE OR REPLACE FUNCTION inventories_uncount_items() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.server_id IS NOT NULL THEN
        UPDATE server_item_counts
           SET items = items - (SELECT count(*) FROM inventory_items WHERE inventory_id = OLD.id)
         WHERE server_id = OLD.server_id;
    END IF;
    RETURN OLD;
END;
$$;

CREATE OR REPLACE TRIGGER inventories_uncount_items
    BEFORE DELETE ON inventories FOR EACH ROW EXECUTE FUNCTION inventories_uncount_items();

-- Moves p_delta items onto (p_to) or off (p_from) servers' counters; two rows are locked in id
-- order so crossing moves between two servers' inventories queue instead of deadlocking.
CREATE OR REPLACE FUNCTION inv_count_items(p_from uuid, p_to uuid, p_check boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_items bigint;
    v_max bigint;
BEGIN
    IF p_from IS NOT NULL AND p_to IS NOT NULL THEN
        PERFORM 1 FROM server_item_counts WHERE server_id IN (p_from, p_to) ORDER BY server_id FOR UPDATE;
    END IF;
    IF p_from IS NOT NULL THEN
        UPDATE server_item_counts SET items = items - 1 WHERE server_id = p_from;
    END IF;
    IF p_to IS NOT NULL THEN
        UPDATE server_item_counts SET items = items + 1 WHERE server_id = p_to RETURNING items INTO v_items;
        IF p_check THEN
            SELECT max_items_per_server INTO v_max FROM inventory_settings WHERE id = 1;
            IF v_items > v_max THEN
                PERFORM raise_error('LIMIT_REACHED', jsonb_build_object('serverId', p_to,
                    'limit', 'activeItemsPerServer', 'max', v_max));
            END IF;
        END IF;
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION inventory_items_server_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_from uuid;
    v_to uuid;
    v_to_type inventory_owner_type;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT server_id INTO v_from FROM inventories WHERE id = OLD.inventory_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT server_id, owner_type INTO v_to, v_to_type FROM inventories WHERE id = NEW.inventory_id;
    END IF;
    IF v_from IS DISTINCT FROM v_to THEN
        PERFORM inv_count_items(v_from, v_to, v_to_type IS DISTINCT FROM 'corpse');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER inventory_items_server_count
    AFTER INSERT OR DELETE ON inventory_items FOR EACH ROW EXECUTE FUNCTION inventory_items_server_count();

CREATE OR REPLACE TRIGGER inventory_items_server_move
    AFTER UPDATE OF inventory_id ON inventory_items FOR EACH ROW
    WHEN (OLD.inventory_id IS DISTINCT FROM NEW.inventory_id)
    EXECUTE FUNCTION inventory_items_server_count();
