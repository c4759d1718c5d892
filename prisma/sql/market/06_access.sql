-- market: who may act for whom, and the API's shapes of a listing and a claim (issue 13).
-- A game server acts for the characters joined to it, a player reads its own account's
-- characters, an admin does everything. The kit refuses a principal an operation does not list;
-- these functions check the character itself, in the operation's one call.

-- The idempotency scope of a principal, as principalKey() of @trustno1/contracts writes it.
CREATE OR REPLACE FUNCTION market.mkt_principal_key(p_principal jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_principal ->> 'kind'
        WHEN 'player' THEN 'player:' || (p_principal ->> 'accountId')
        WHEN 'server' THEN 'server:' || (p_principal ->> 'serverId')
        ELSE p_principal ->> 'kind' END;
$$;

-- NOT_FOUND (naming p_field) for a character that does not exist; FORBIDDEN when p_principal may
-- not act for it (p_write) or read it: NOT_JOINED_TO_THIS_SERVER, NOT_YOURS, READ_ONLY.
CREATE OR REPLACE FUNCTION market.mkt_require_actor(p_principal jsonb, p_player_id uuid, p_write boolean,
                                                    p_field text DEFAULT 'playerId') RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_account uuid;
    v_server uuid;
BEGIN
    PERFORM mkt_require(p_player_id IS NOT NULL, p_field, 'required');
    SELECT account_id, server_id INTO v_account, v_server FROM accounts.players WHERE id = p_player_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', p_field, 'playerId', p_player_id));
    END IF;
    CASE p_principal ->> 'kind'
        WHEN 'admin' THEN
            RETURN;
        WHEN 'server' THEN
            IF v_server IS DISTINCT FROM (p_principal ->> 'serverId')::uuid THEN
                PERFORM raise_error('FORBIDDEN', jsonb_build_object('field', p_field, 'playerId', p_player_id,
                                    'reason', 'NOT_JOINED_TO_THIS_SERVER'));
            END IF;
        WHEN 'player' THEN
            IF v_account IS DISTINCT FROM (p_principal ->> 'accountId')::uuid THEN
                PERFORM raise_error('FORBIDDEN', jsonb_build_object('field', p_field, 'playerId', p_player_id,
                                    'reason', 'NOT_YOURS'));
            END IF;
            IF p_write THEN
                PERFORM raise_error('FORBIDDEN', jsonb_build_object('field', p_field, 'playerId', p_player_id,
                                    'reason', 'READ_ONLY'));
            END IF;
        ELSE
            PERFORM raise_error('FORBIDDEN', jsonb_build_object('reason', 'NOT_ALLOWED'));
    END CASE;
END;
$$;

CREATE OR REPLACE FUNCTION market.mkt_listing_json(l market_listings) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', l.id, 'sellerId', l.seller_id, 'itemId', l.item_id, 'itemTemplateId', l.item_template_id,
        'quantity', l.quantity, 'soldQuantity', COALESCE(l.sold_quantity, 0),
        'remaining', l.quantity - COALESCE(l.sold_quantity, 0), 'pricePerUnit', l.price_per_unit,
        'currency', l.currency, 'quality', l.quality, 'attachments', l.attachments,
        'locationType', l.location_type, 'locationId', l.location_id, 'status', l.status,
        'listingFee', l.listing_fee, 'expiresAt', l.expires_at, 'createdAt', l.created_at,
        'closedAt', l.closed_at);
$$;

CREATE OR REPLACE FUNCTION market.mkt_claim_json(c claims) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', c.id, 'playerId', c.player_id, 'kind', CASE WHEN c.item_id IS NOT NULL THEN 'item' ELSE 'coins' END,
        'itemId', c.item_id, 'itemTemplateId', c.item_template_id, 'quantity', c.quantity,
        'currency', c.currency, 'amount', c.amount, 'reason', c.reason, 'listingId', c.listing_id,
        'createdAt', c.created_at, 'collectedAt', c.collected_at, 'collectedItem', c.collected_item);
$$;
