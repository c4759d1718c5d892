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

-- May this game server act on these inventories? A player inventory only of a character joined
-- to it; a world inventory (structure, vehicle, container, corpse) only of its own region (a
-- legacy world inventory without a region is any server's). The caller holds the locks.
CREATE OR REPLACE FUNCTION inv_require_server_access(p_server uuid, p_region text, p_inventory_ids uuid[])
RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_denied record;
BEGIN
    SELECT i.id, CASE WHEN i.owner_type = 'player' THEN 'NOT_JOINED_TO_THIS_SERVER'
                      WHEN i.owner_type = 'market' THEN 'MARKET_ESCROW'
                      ELSE 'OTHER_REGION' END AS reason
      INTO v_denied
      FROM inventories i
     WHERE i.id = ANY (p_inventory_ids)
       AND CASE WHEN i.owner_type = 'player' THEN
                     NOT EXISTS (SELECT 1 FROM accounts.players p WHERE p.id = i.owner_id AND p.server_id = p_server)
                -- Escrows and claims (issue 13) change only through the market's functions.
                WHEN i.owner_type = 'market' THEN true
                ELSE i.region IS NOT NULL AND i.region IS DISTINCT FROM p_region END
     ORDER BY array_position(p_inventory_ids, i.id)
     LIMIT 1;
    IF v_denied.id IS NOT NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('inventoryId', v_denied.id, 'reason', v_denied.reason));
    END IF;
END;
$$;

-- The one access rule of the inventory service (its AccessRepository calls this): NOT_FOUND for
-- the first id that does not exist, then FORBIDDEN for the first the principal may not act on: a
-- server as inv_require_server_access says, a player only reading its own account's characters'
-- inventories, anyone else nothing.
CREATE OR REPLACE FUNCTION inv_require_access(p_principal jsonb, p_inventory_ids uuid[]) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_missing uuid;
    v_denied uuid;
BEGIN
    SELECT x.id INTO v_missing FROM unnest(p_inventory_ids) WITH ORDINALITY AS x(id, n)
     WHERE NOT EXISTS (SELECT 1 FROM inventories i WHERE i.id = x.id) ORDER BY x.n LIMIT 1;
    IF v_missing IS NOT NULL THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('inventoryId', v_missing));
    END IF;
    IF p_principal->>'kind' = 'server' THEN
        PERFORM inv_require_server_access(inv_server_of(p_principal), p_principal->>'region', p_inventory_ids);
        RETURN;
    END IF;
    SELECT x.id INTO v_denied FROM unnest(p_inventory_ids) WITH ORDINALITY AS x(id, n)
     WHERE p_principal->>'kind' IS DISTINCT FROM 'player' OR p_principal->>'accountId' IS NULL
        OR NOT EXISTS (SELECT 1 FROM inventories i JOIN accounts.players p ON p.id = i.owner_id
                        WHERE i.id = x.id AND i.owner_type = 'player'
                          AND p.account_id = (p_principal->>'accountId')::uuid)
     ORDER BY x.n LIMIT 1;
    IF v_denied IS NOT NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('inventoryId', v_denied, 'reason', 'NOT_YOURS'));
    END IF;
END;
$$;

-- POST /v1/items/{id}/move (inventory.item.move.v1). p_from_inventory_id: where the caller says
-- the item is (optional); elsewhere means 409 CONFLICT (ITEM_MOVED). Without it the move takes
-- the item from wherever it is now, if this server may act on that inventory. p_from_lock_code
-- opens a locked source and p_to_lock_code a locked destination.
CREATE OR REPLACE FUNCTION inventory.move_item(p_principal jsonb, p_idempotency_key varchar,
                              p_request_hash varchar, p_item_id uuid, p_to_inventory_id uuid,
                              p_grid_x integer, p_grid_y integer, p_quantity integer,
                              p_from_lock_code varchar, p_to_lock_code varchar, p_from_inventory_id uuid,
                              p_reason varchar)
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
    PERFORM inv_require_server_access(v_server, p_principal->>'region', ARRAY[v_item.inventory_id, p_to_inventory_id]);
    v_result := inv_transfer_locked(v_item, p_to_inventory_id, p_grid_x, p_grid_y, p_quantity, p_from_lock_code,
                                    p_to_lock_code, p_reason, v_caller);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- POST /v1/items/{id}/consume (inventory.item.consume.v1): uses up p_quantity of a stack
-- (eating, reloading, crafting input) with its 'consume' ledger row, in one call like the move.
-- More than the stack holds is INSUFFICIENT_QUANTITY and changes nothing. Server-authoritative
-- like add_item and destroy_item: no lock code is asked.
CREATE OR REPLACE FUNCTION inventory.consume_item(p_principal jsonb, p_idempotency_key varchar,
                              p_request_hash varchar, p_item_id uuid, p_quantity integer,
                              p_from_inventory_id uuid, p_reason varchar)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_server uuid := inv_server_of(p_principal);
    v_caller text := 'server:' || v_server;
    v_claim record;
    v_item inventory_items;
    v_result jsonb;
BEGIN
    PERFORM inv_check_reason(p_reason);
    PERFORM inv_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM inv_require(p_quantity IS NOT NULL AND p_quantity >= 1, 'quantity', 'at least 1');
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    v_item := inv_lock_item(p_item_id, NULL, p_from_inventory_id);
    PERFORM inv_require_server_access(v_server, p_principal->>'region', ARRAY[v_item.inventory_id]);
    IF p_quantity > v_item.quantity THEN
        PERFORM raise_error('INSUFFICIENT_QUANTITY', jsonb_build_object('itemId', v_item.id,
            'requested', p_quantity, 'available', v_item.quantity));
    END IF;
    v_result := inv_take_locked(v_item, p_quantity, 'consume', p_reason, v_caller)
                || jsonb_build_object('inventoryId', v_item.inventory_id);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;
