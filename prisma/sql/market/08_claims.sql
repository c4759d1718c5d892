-- market: the claim mailbox (issue 13, rule 5). What a closed order owes a player waits in a claim
-- until collected: an item row in the claim's own 'market' inventory (inventory.market_move_to_claim),
-- or coins that left a wallet (claim_escrow) and enter the player's when collected (claim_collect).
-- Collecting moves them through the item or wallet ledger, once: a collected claim answers what it
-- delivered again and changes nothing.

-- p_quantity (NULL: all) of the escrowed item p_item_id becomes a claim of p_player_id. Called
-- inside the market's operations (a purchase without room, a remainder without room, a trade).
-- Returns the claim.
CREATE OR REPLACE FUNCTION market.claim_items(p_player_id uuid, p_item_id uuid, p_quantity integer, p_reason text,
                                              p_listing_id uuid, p_reference text)
RETURNS claims
LANGUAGE plpgsql AS $$
DECLARE
    v_claim claims;
    v_moved jsonb;
BEGIN
    v_claim.id := gen_random_uuid();
    v_moved := inventory.market_move_to_claim(p_item_id, p_quantity, v_claim.id, 'market_claim', p_reference);
    INSERT INTO claims (id, player_id, inventory_id, item_id, item_template_id, quantity, reason, listing_id,
                        reference)
    VALUES (v_claim.id, p_player_id, (v_moved ->> 'inventoryId')::uuid, (v_moved -> 'item' ->> 'id')::uuid,
            v_moved -> 'item' ->> 'templateId', (v_moved -> 'item' ->> 'quantity')::int, p_reason, p_listing_id,
            p_reference)
    RETURNING * INTO v_claim;
    RETURN v_claim;
END;
$$;

-- p_amount coins owed to p_player_id: taken from p_from_player_id's wallet (claim_escrow) when
-- given, so they are on the ledger while they wait. Returns the claim.
CREATE OR REPLACE FUNCTION market.claim_coins(p_player_id uuid, p_currency currency_type, p_amount bigint,
                                              p_from_player_id uuid, p_reason text, p_reference text)
RETURNS claims
LANGUAGE plpgsql AS $$
DECLARE
    v_claim claims;
BEGIN
    PERFORM mkt_require(p_amount IS NOT NULL AND p_amount >= 1, 'amount', 'at least 1');
    PERFORM mkt_require(p_from_player_id IS NOT NULL, 'fromPlayerId', 'required: coins owed come from a wallet');
    PERFORM wallet_move(p_from_player_id, p_currency, -p_amount, 'claim_escrow', p_reference);
    INSERT INTO claims (id, player_id, currency, amount, reason, reference)
    VALUES (gen_random_uuid(), p_player_id, p_currency, p_amount, p_reason, p_reference)
    RETURNING * INTO v_claim;
    RETURN v_claim;
END;
$$;

-- GET /v1/players/{id}/claims: the claims not collected yet, newest first.
CREATE OR REPLACE FUNCTION market.list_claims(p_principal jsonb, p_player_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM mkt_require_actor(p_principal, p_player_id, false);
    RETURN COALESCE((SELECT jsonb_agg(mkt_claim_json(c) ORDER BY c.created_at DESC, c.id DESC)
                       FROM claims c WHERE c.player_id = p_player_id AND c.collected_at IS NULL), '[]');
END;
$$;

-- POST /v1/players/{id}/claims/{claimId}/collect: an item claim's item into p_to_inventory_id (one
-- of the player's own inventories) or the first free place of the player's inventories
-- (SLOT_OCCUPIED NO_ROOM when it fits nowhere: the claim stays), a coin claim into the wallet.
-- A claim collected before answers again, unchanged. Returns the claim.
CREATE OR REPLACE FUNCTION market.collect_claim(p_principal jsonb, p_idempotency_key varchar,
                                                p_request_hash varchar, p_player_id uuid, p_claim_id uuid,
                                                p_to_inventory_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_caller text := mkt_principal_key(p_principal);
    v_idem record;
    v_claim claims;
    v_moved jsonb;
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_claim_id IS NOT NULL, 'claimId', 'required');
    PERFORM mkt_require_actor(p_principal, p_player_id, true);
    IF p_idempotency_key IS NOT NULL THEN
        v_idem := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_idem.replayed THEN
            RETURN v_idem.response;
        END IF;
    END IF;
    SELECT * INTO v_claim FROM claims WHERE id = p_claim_id AND player_id = p_player_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', 'claimId', 'claimId', p_claim_id));
    END IF;
    IF v_claim.collected_at IS NULL THEN
        IF v_claim.item_id IS NOT NULL THEN
            v_moved := inventory.market_deliver_item(v_claim.item_id, NULL, p_player_id, p_to_inventory_id,
                                                     'claim_collect', 'claim:' || v_claim.id);
            IF NOT (v_moved ->> 'placed')::boolean THEN
                PERFORM raise_error('SLOT_OCCUPIED', jsonb_build_object('claimId', v_claim.id, 'reason', 'NO_ROOM',
                                    'inventoryId', p_to_inventory_id));
            END IF;
        ELSE
            PERFORM wallet_move(p_player_id, v_claim.currency, v_claim.amount, 'claim_collect', 'claim:' || v_claim.id);
        END IF;
        UPDATE claims SET collected_at = now(), collected_item = v_moved -> 'item' WHERE id = v_claim.id
        RETURNING * INTO v_claim;
    END IF;
    v_result := mkt_claim_json(v_claim);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;
