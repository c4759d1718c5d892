-- inventory: the operations game servers call, one function call each (issue 9): the caller's
-- principal, its Idempotency-Key and the request go in; the idempotency record, the locks, the
-- access check under those locks, the change and the stored response happen in this one call.
-- A replay returns the stored response without touching an item.

CREATE SCHEMA IF NOT EXISTS inventory;

-- The idempotency scope and ledger reference of a principal (principalKey in @trustno1/contracts).
-- Only game servers act on items: anything else is FORBIDDEN even if the kit were bypassed.
CREATE OR REPLACE FUNCTION inv_server_of(p_principal jsonb) RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_principal->>'kind' IS DISTINCT FROM 'server' OR p_principal->>'serverId' IS NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('reason', 'SERVERS_ONLY'));
    END IF;
    RETURN (p_principal->>'serverId')::uuid;
END;
$$;

-- May this game server act on these (locked) inventories? World containers (structure, vehicle,
-- container, corpse) are any server's; a player inventory only of a character joined to it.
CREATE OR REPLACE FUNCTION inv_require_server_access(p_server uuid, p_inventory_ids uuid[]) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_denied uuid;
BEGIN
    SELECT i.id INTO v_denied
      FROM inventories i
     WHERE i.id = ANY (p_inventory_ids)
       AND i.owner_type = 'player'
       AND NOT EXISTS (SELECT 1 FROM accounts.players p WHERE p.id = i.owner_id AND p.server_id = p_server)
     ORDER BY array_position(p_inventory_ids, i.id)
     LIMIT 1;
    IF v_denied IS NOT NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('inventoryId', v_denied,
            'reason', 'NOT_JOINED_TO_THIS_SERVER'));
    END IF;
END;
$$;

-- POST /v1/items/{id}/move (inventory.item.move.v1). p_from_inventory_id: where the caller says
-- the item is (optional); elsewhere means 409 CONFLICT (ITEM_MOVED). Without it the move takes
-- the item from wherever it is now, if this server may act on that inventory.
CREATE OR REPLACE FUNCTION inventory.move_item(p_principal jsonb, p_idempotency_key varchar,
                              p_request_hash varchar, p_item_id uuid, p_to_inventory_id uuid,
                              p_grid_x integer, p_grid_y integer, p_quantity integer,
                              p_lock_code varchar, p_from_inventory_id uuid, p_reason varchar)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_server uuid := inv_server_of(p_principal);
    v_caller text := 'server:' || v_server;
    v_claim record;
    v_item inventory_items;
    v_result jsonb;
BEGIN
    PERFORM inv_check_transfer_args(p_item_id, p_to_inventory_id, p_grid_x, p_grid_y, p_quantity, p_reason);
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    v_item := inv_lock_item(p_item_id, p_to_inventory_id, p_from_inventory_id);
    PERFORM inv_require_server_access(v_server, ARRAY[v_item.inventory_id, p_to_inventory_id]);
    v_result := inv_transfer_locked(v_item, p_to_inventory_id, p_grid_x, p_grid_y, p_quantity, p_lock_code,
                                    p_reason, v_caller);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;
