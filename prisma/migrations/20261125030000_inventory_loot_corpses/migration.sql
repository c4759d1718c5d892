-- Inventory, second part (issue 4): the active items limit per game server, corpses and loot.
-- Same conventions as 20261125020000_inventory_rules: errors are inv_fail codes, every change of
-- an item writes one item_ledger row in the same transaction, inventories are locked before items.

-- --- 1,000,000 active items per server (SPEC §4) ----------------------------------------------
-- "Items of a server" = item rows (stacks) in the inventories attributed to it: inventories.server_id
-- is the game server that created a world inventory (structure, vehicle, container) and, for a
-- corpse, the server the dead character was joined to. Player inventories are attributed to no
-- server: they travel with the character between servers and are bounded by their grid (at most
-- 32 x 32 one-cell stacks each, 1,000 players per server). A per-server counter row, kept by a
-- trigger on inventory_items in the writer's transaction, makes the check one row update instead
-- of a COUNT(*) per add. Corpses are counted but never refused: a death must not fail on a limit;
-- the server's next additions are refused until its corpses expire.

ALTER TABLE inventories ADD COLUMN server_id UUID REFERENCES game_servers(id);
CREATE INDEX idx_inventories_server ON inventories(server_id) WHERE server_id IS NOT NULL;

-- One row (id = 1). The inventory service writes INVENTORY_MAX_ITEMS_PER_SERVER here at start-up.
CREATE TABLE inventory_settings (
    id                   SMALLINT PRIMARY KEY DEFAULT 1,
    max_items_per_server BIGINT NOT NULL DEFAULT 1000000,
    CONSTRAINT inventory_settings_single_row CHECK (id = 1),
    CONSTRAINT inventory_settings_max_items_check CHECK (max_items_per_server >= 0)
);
INSERT INTO inventory_settings (id) VALUES (1);

CREATE TABLE server_item_counts (
    server_id UUID PRIMARY KEY REFERENCES game_servers(id),
    items     BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT server_item_counts_items_check CHECK (items >= 0)
);

-- The counter row exists from the server's first inventory on, so the trigger below only updates.
CREATE FUNCTION inventories_server_counter() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.server_id IS NOT NULL THEN
        INSERT INTO server_item_counts (server_id) VALUES (NEW.server_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER inventories_server_counter
    AFTER INSERT ON inventories FOR EACH ROW EXECUTE FUNCTION inventories_server_counter();

-- Items deleted by ON DELETE CASCADE no longer find their inventory in the row trigger below, so
-- a deleted inventory takes its remaining items off its server's count itself.
CREATE FUNCTION inventories_uncount_items() RETURNS trigger
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

CREATE TRIGGER inventories_uncount_items
    BEFORE DELETE ON inventories FOR EACH ROW EXECUTE FUNCTION inventories_uncount_items();

-- Moves p_delta items onto (p_to) or off (p_from) servers' counters; two rows are locked in id
-- order so crossing moves between two servers' inventories queue instead of deadlocking.
CREATE FUNCTION inv_count_items(p_from uuid, p_to uuid, p_check boolean) RETURNS void
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
                PERFORM inv_fail('LIMIT_REACHED', jsonb_build_object('serverId', p_to,
                    'limit', 'activeItemsPerServer', 'max', v_max));
            END IF;
        END IF;
    END IF;
END;
$$;

CREATE FUNCTION inventory_items_server_count() RETURNS trigger
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

CREATE TRIGGER inventory_items_server_count
    AFTER INSERT OR DELETE ON inventory_items FOR EACH ROW EXECUTE FUNCTION inventory_items_server_count();
CREATE TRIGGER inventory_items_server_move
    AFTER UPDATE OF inventory_id ON inventory_items FOR EACH ROW
    WHEN (OLD.inventory_id IS DISTINCT FROM NEW.inventory_id)
    EXECUTE FUNCTION inventory_items_server_count();

-- --- corpses (SPEC §4 "Death") ------------------------------------------------------------------

CREATE TABLE corpses (
    inventory_id UUID PRIMARY KEY REFERENCES inventories(id) ON DELETE CASCADE,
    -- No foreign key: a corpse may outlive an archived character.
    player_id    UUID NOT NULL,
    position     JSONB NOT NULL,
    chunk_x      INTEGER NOT NULL,
    chunk_z      INTEGER NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_corpses_expires ON corpses(expires_at);
CREATE INDEX idx_corpses_chunk ON corpses(chunk_x, chunk_z);
CREATE INDEX idx_corpses_player ON corpses(player_id);

-- Moves every item of the player's inventories into a new corpse inventory at p_position, in the
-- caller's transaction (the combat issue calls it inside its killing-blow transaction), with one
-- 'move' ledger row per item (reason 'death'). Grid rule: the player's inventories are stacked
-- top to bottom in id order (corpse width = the widest, height = the sum of heights) and every
-- item keeps its cell, shifted down by the height above it: everything fits, nothing is re-packed.
-- No weight limit: a corpse holds what the player carried. Returns the corpse inventory id.
CREATE FUNCTION create_corpse(p_player_id uuid, p_position jsonb, p_reference varchar DEFAULT NULL,
                              p_expires_at timestamptz DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql AS $$
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
    SELECT server_id INTO v_server FROM players WHERE id = p_player_id;
    IF NOT FOUND THEN
        PERFORM inv_fail('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
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

-- Removes up to p_limit corpses expired at p_now (the schedule's tick: an injectable clock):
-- each item is destroyed with its ledger row (reason 'corpse_expired'), then the inventory goes
-- (its corpses row with it). SKIP LOCKED: two cleaners never wait on each other's corpses.
CREATE FUNCTION cleanup_corpses(p_now timestamptz, p_limit integer DEFAULT 500)
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

-- --- loot (SPEC §6 loot_generation) -------------------------------------------------------------

-- The loot tables of libs/inventory-domain/loot/loot.v1.json, synced at the inventory service's
-- start-up like the item catalog; `definition` is the validated table as written in the file.
CREATE TABLE loot_tables (
    id         VARCHAR(64) PRIMARY KEY,
    definition JSONB NOT NULL,
    version    VARCHAR(32) NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- One row per filled (container, cycle): the job's idempotency, written in the same transaction
-- as the items, so a job run twice, or by two racing workers, fills once.
CREATE TABLE loot_fills (
    container_id UUID NOT NULL REFERENCES inventories(id) ON DELETE CASCADE,
    cycle        VARCHAR(64) NOT NULL,
    table_id     VARCHAR(64) NOT NULL,
    items        JSONB NOT NULL DEFAULT '[]',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- The UNIQUE (container_id, cycle) of the job's idempotency.
    PRIMARY KEY (container_id, cycle)
);

-- Fills a world container with p_items ([{templateId, quantity}], rolled by the caller) once per
-- cycle. Each item goes to the first free place; one that does not fit (no room, over weight,
-- the server's item limit) is skipped, the rest still land. Returns {filled, items, skipped}:
-- filled = false and the first fill's items when the cycle was already filled.
CREATE FUNCTION fill_container(p_container_id uuid, p_cycle varchar, p_table_id varchar, p_items jsonb,
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
    IF v_inv.owner_type = 'player' THEN
        PERFORM inv_fail('FORBIDDEN', jsonb_build_object('containerId', p_container_id,
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
