-- market: direct trades (issue 13, rule 6; tables in migration 20261204120000_market_trades).
-- Two characters joined to the same game server trade items and coins. Each operation is one call
-- of one function here: the idempotency claim, the trade's row lock, the principal's checks and
-- the change. Items move only through inventory's published market functions (item ledger),
-- coins only through market.wallet_move (wallet ledger):
--   * an offered item leaves its owner's inventory into an escrow owned by the trade
--     (inventory.market_escrow_item), so it can be in at most one open trade or listing;
--   * an offer change resets both acceptances; items no longer offered go back to their owner
--     (into the claims when the owner has no room left);
--   * when both sides have accepted, everything swaps in the same transaction: the escrowed items
--     are delivered to the other side (re-checked: each still in its escrow with its quantity;
--     no room puts them in the receiver's claims), the coins move with trade_out / trade_in after
--     the balances are checked again, and two transactions rows (direct_trade) are written;
--   * a trade idle for TRADE_TIMEOUT_SECONDS, or with a character no longer joined to the trade's
--     server, is refused by every operation and cancelled by the market.trades.expire schedule;
--     a cancel gives every escrowed item back.
-- A trade that closes writes its event to the outbox in the same transaction:
-- evt.market.trade.executed.v1 or evt.market.trade.cancelled.v1, the trade as payload.
-- Principals: a game server acts for characters joined to it, on its own trades only; an admin on
-- any trade; a player reads the trades of its account's characters.

-- The server a principal is (NULL for an admin).
CREATE OR REPLACE FUNCTION market.trd_server_of(p_principal jsonb) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_principal ->> 'kind' = 'server' THEN (p_principal ->> 'serverId')::uuid END;
$$;

-- One side's offer as the API shows it.
CREATE OR REPLACE FUNCTION market.trd_offer_json(t market.trades, p_player_id uuid, p_accepted boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'playerId', p_player_id, 'accepted', p_accepted,
        'items', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                                   'itemId', i.item_id, 'offeredItemId', i.offered_item_id,
                                   'itemTemplateId', i.item_template_id, 'quantity', i.quantity)
                                   ORDER BY i.item_template_id, i.item_id)
                             FROM market.trade_items i WHERE i.trade_id = t.id AND i.player_id = p_player_id),
                          '[]'::jsonb),
        'money', COALESCE((SELECT jsonb_agg(jsonb_build_object('currency', m.currency, 'amount', m.amount)
                                   ORDER BY m.currency)
                             FROM market.trade_money m WHERE m.trade_id = t.id AND m.player_id = p_player_id),
                          '[]'::jsonb));
$$;

-- A trade as the API shows it (TradeView in libs/contracts/src/market-trades.ts). p_timeout_seconds
-- gives expiresAt of an open trade.
CREATE OR REPLACE FUNCTION market.trade_json(p_trade_id uuid, p_timeout_seconds integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', t.id, 'serverId', t.server_id, 'initiatorId', t.initiator_id, 'partnerId', t.partner_id,
        'status', t.status, 'version', t.version,
        'offers', jsonb_build_array(market.trd_offer_json(t, t.initiator_id, t.initiator_accepted),
                                    market.trd_offer_json(t, t.partner_id, t.partner_accepted)),
        'createdAt', market.iso_time(t.created_at), 'updatedAt', market.iso_time(t.updated_at),
        'expiresAt', CASE WHEN t.status = 'open'
                          THEN market.iso_time(t.updated_at + p_timeout_seconds * interval '1 second') END,
        'closedAt', market.iso_time(t.closed_at), 'closeReason', t.close_reason)
      FROM market.trades t WHERE t.id = p_trade_id;
$$;

-- Gives an escrowed item to a player: into the first free place of their inventories, else into a
-- new claim of theirs (never refused). Returns the claim's id, NULL when placed.
CREATE OR REPLACE FUNCTION market.trd_give_item(p_item_id uuid, p_quantity integer, p_template text,
                                                p_player_id uuid, p_trade_id uuid, p_reason text)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_claim uuid;
    v_moved jsonb;
BEGIN
    v_moved := inventory.market_deliver_item(p_item_id, p_quantity, p_player_id, NULL, p_reason, p_trade_id::text);
    IF (v_moved ->> 'placed')::boolean THEN
        RETURN NULL;
    END IF;
    v_claim := gen_random_uuid();
    v_moved := inventory.market_move_to_claim(p_item_id, p_quantity, v_claim, p_reason, p_trade_id::text);
    INSERT INTO market.claims (id, player_id, inventory_id, item_id, item_template_id, quantity, reason, reference)
    VALUES (v_claim, p_player_id, (v_moved ->> 'inventoryId')::uuid, (v_moved -> 'item' ->> 'id')::uuid,
            p_template, p_quantity, p_reason, p_trade_id::text);
    RETURN v_claim;
END;
$$;

-- Every escrowed item of the trade (of one player, or all when p_player_id is NULL) back to its
-- owner, its offer rows removed.
CREATE OR REPLACE FUNCTION market.trd_return_items(p_trade_id uuid, p_player_id uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_row market.trade_items;
    v_count integer := 0;
BEGIN
    FOR v_row IN SELECT * FROM market.trade_items
                  WHERE trade_id = p_trade_id AND (p_player_id IS NULL OR player_id = p_player_id)
                  ORDER BY item_id LOOP
        PERFORM market.trd_give_item(v_row.item_id, v_row.quantity, v_row.item_template_id, v_row.player_id,
                                     p_trade_id, 'trade_return');
        DELETE FROM market.trade_items WHERE trade_id = p_trade_id AND item_id = v_row.item_id;
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

-- The event of a trade that closed (evt.market.trade.executed.v1 / cancelled.v1), in the outbox
-- in the transaction of the change; the payload is the trade as the API shows it.
CREATE OR REPLACE FUNCTION market.trd_event(p_trade_id uuid, p_subject text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), p_subject, market.trade_json(p_trade_id, 0), '{}', clock_timestamp());
    PERFORM pg_notify('outbox_enqueued', '');
END;
$$;

-- Closes an open trade (the caller holds its lock): escrowed items back, status cancelled, the
-- cancelled event. The offer rows go (nothing is offered any more); the event carries the trade.
CREATE OR REPLACE FUNCTION market.trd_cancel(p_trade_id uuid, p_reason text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM market.trd_return_items(p_trade_id, NULL);
    DELETE FROM market.trade_money WHERE trade_id = p_trade_id;
    UPDATE market.trades SET status = 'cancelled', closed_at = now(), updated_at = now(), close_reason = p_reason
     WHERE id = p_trade_id;
    PERFORM market.trd_event(p_trade_id, 'evt.market.trade.cancelled.v1');
END;
$$;

-- Why an open trade cannot go on, or NULL: TIMED_OUT (idle for p_timeout_seconds at p_now),
-- PLAYER_LEFT (a character no longer joined to the trade's server, or lingering after leaving in
-- combat: still in the world, but its player is gone).
CREATE OR REPLACE FUNCTION market.trd_stale_reason(t market.trades, p_now timestamptz, p_timeout_seconds integer)
RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN t.updated_at <= p_now - p_timeout_seconds * interval '1 second' THEN 'TIMED_OUT'
        WHEN (SELECT count(*) FROM accounts.players p
               WHERE p.id IN (t.initiator_id, t.partner_id) AND p.server_id = t.server_id
                 AND p.linger_until IS NULL) < 2 THEN 'PLAYER_LEFT'
    END;
$$;

-- The open trade p_trade_id locked for a change by p_principal: NOT_FOUND, FORBIDDEN
-- NOT_THIS_SERVERS_TRADE (a server on another server's trade), CONFLICT TRADE_CLOSED,
-- TRADE_TIMED_OUT or PLAYER_LEFT (the schedule cancels those), FORBIDDEN NOT_A_PARTY when
-- p_player_id is given and is neither side.
CREATE OR REPLACE FUNCTION market.trd_lock_open(p_principal jsonb, p_trade_id uuid, p_player_id uuid,
                                                p_timeout_seconds integer)
RETURNS market.trades
LANGUAGE plpgsql AS $$
DECLARE
    v_trade market.trades;
    v_server uuid := market.trd_server_of(p_principal);
    v_stale text;
BEGIN
    SELECT * INTO v_trade FROM market.trades WHERE id = p_trade_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('tradeId', p_trade_id));
    END IF;
    IF v_server IS NOT NULL AND v_trade.server_id <> v_server THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('tradeId', p_trade_id, 'reason', 'NOT_THIS_SERVERS_TRADE'));
    END IF;
    IF p_player_id IS NOT NULL AND p_player_id NOT IN (v_trade.initiator_id, v_trade.partner_id) THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('tradeId', p_trade_id, 'playerId', p_player_id,
                            'reason', 'NOT_A_PARTY'));
    END IF;
    IF v_trade.status <> 'open' THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('tradeId', p_trade_id, 'reason', 'TRADE_CLOSED',
                            'status', v_trade.status, 'closeReason', v_trade.close_reason));
    END IF;
    v_stale := market.trd_stale_reason(v_trade, now(), p_timeout_seconds);
    IF v_stale IS NOT NULL THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('tradeId', p_trade_id,
                            'reason', CASE v_stale WHEN 'TIMED_OUT' THEN 'TRADE_TIMED_OUT' ELSE v_stale END));
    END IF;
    RETURN v_trade;
END;
$$;

-- POST /v1/trades (market.trade.open.v1): a trade between two characters joined to the same server
-- (a server principal: to itself). NOT_FOUND, FORBIDDEN NOT_JOINED_TO_THIS_SERVER, CONFLICT
-- NOT_ON_THE_SAME_SERVER (an admin's request for characters on different servers, or offline).
CREATE OR REPLACE FUNCTION market.open_trade(p_principal jsonb, p_caller text, p_idempotency_key varchar,
                                             p_request_hash varchar, p_initiator_id uuid, p_partner_id uuid,
                                             p_timeout_seconds integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_server uuid := market.trd_server_of(p_principal);
    v_claim record;
    v_player record;
    v_servers uuid[] := '{}';
    v_id uuid := gen_random_uuid();
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_initiator_id IS NOT NULL, 'initiatorId', 'required');
    PERFORM mkt_require(p_partner_id IS NOT NULL, 'partnerId', 'required');
    PERFORM mkt_require(p_initiator_id <> p_partner_id, 'partnerId', 'must not be the initiator');
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    -- A character lingering after leaving in combat is not joined anymore (its player is gone).
    FOR v_player IN SELECT x.id, p.id AS found, CASE WHEN p.linger_until IS NULL THEN p.server_id END AS server_id
                      FROM unnest(ARRAY[p_initiator_id, p_partner_id]) x(id)
                      LEFT JOIN accounts.players p ON p.id = x.id LOOP
        IF v_player.found IS NULL THEN
            PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', v_player.id));
        END IF;
        IF v_server IS NOT NULL AND v_player.server_id IS DISTINCT FROM v_server THEN
            PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', v_player.id,
                                'reason', 'NOT_JOINED_TO_THIS_SERVER'));
        END IF;
        v_servers := v_servers || v_player.server_id;
    END LOOP;
    IF v_servers[1] IS NULL OR v_servers[1] IS DISTINCT FROM v_servers[2] THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('initiatorId', p_initiator_id, 'partnerId', p_partner_id,
                            'reason', 'NOT_ON_THE_SAME_SERVER'));
    END IF;
    INSERT INTO market.trades (id, server_id, initiator_id, partner_id)
    VALUES (v_id, v_servers[1], p_initiator_id, p_partner_id);
    v_result := market.trade_json(v_id, p_timeout_seconds);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- PUT /v1/trades/{id}/offer (market.trade.offer.v1): p_player_id's whole offer becomes p_items
-- ([{itemId, quantity}], each item in the player's own inventories) and p_money ([{currency,
-- amount}], each within the player's balance now and checked again at execution). An item offered
-- before with the same quantity stays in escrow; the others go back to the player, the new ones
-- into escrow (FORBIDDEN NOT_YOURS / ITEM_IN_ESCROW when it is another's or in a listing or trade
-- already). A change resets both acceptances and bumps the version; the same offer again changes
-- nothing.
CREATE OR REPLACE FUNCTION market.set_trade_offer(p_principal jsonb, p_caller text, p_idempotency_key varchar,
                                                  p_request_hash varchar, p_trade_id uuid, p_player_id uuid,
                                                  p_items jsonb, p_money jsonb, p_timeout_seconds integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_trade market.trades;
    v_row market.trade_items;
    v_item record;
    v_money record;
    v_escrowed jsonb;
    v_balance bigint;
    v_changed boolean := false;
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_trade_id IS NOT NULL, 'tradeId', 'required');
    PERFORM mkt_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM mkt_require(jsonb_typeof(p_items) = 'array', 'items', 'must be an array');
    PERFORM mkt_require(jsonb_typeof(p_money) = 'array', 'money', 'must be an array');
    PERFORM mkt_require(
        (SELECT count(DISTINCT lower(e ->> 'itemId')) = count(*) FROM jsonb_array_elements(p_items) e),
        'items', 'an item may be offered once');
    PERFORM mkt_require(
        (SELECT count(DISTINCT e ->> 'currency') = count(*) FROM jsonb_array_elements(p_money) e),
        'money', 'a currency may be offered once');
    PERFORM mkt_require(
        (SELECT bool_and(jsonb_typeof(e -> 'quantity') = 'number' AND (e ->> 'quantity')::numeric >= 1)
           FROM jsonb_array_elements(p_items) e) IS NOT FALSE, 'items', 'quantity must be at least 1');
    PERFORM mkt_require(
        (SELECT bool_and(jsonb_typeof(e -> 'amount') = 'number'
                         AND (e ->> 'amount')::numeric BETWEEN 1 AND 1000000000000)
           FROM jsonb_array_elements(p_money) e) IS NOT FALSE, 'money', 'amount must be 1 to 10^12');
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    v_trade := market.trd_lock_open(p_principal, p_trade_id, p_player_id, p_timeout_seconds);

    -- Items: keep those offered again with the same quantity, give back the rest.
    FOR v_row IN SELECT * FROM market.trade_items WHERE trade_id = p_trade_id AND player_id = p_player_id
                  ORDER BY item_id LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(p_items) e
                               WHERE (e ->> 'itemId')::uuid = v_row.offered_item_id
                                 AND (e ->> 'quantity')::int = v_row.quantity);
        PERFORM market.trd_give_item(v_row.item_id, v_row.quantity, v_row.item_template_id, p_player_id,
                                     p_trade_id, 'trade_return');
        DELETE FROM market.trade_items WHERE trade_id = p_trade_id AND item_id = v_row.item_id;
        v_changed := true;
    END LOOP;
    -- New items into escrow, in item id order (two offers of crossing items queue, not deadlock).
    FOR v_item IN SELECT (e ->> 'itemId')::uuid AS item_id, (e ->> 'quantity')::int AS quantity
                    FROM jsonb_array_elements(p_items) e
                   WHERE NOT EXISTS (SELECT 1 FROM market.trade_items i
                                      WHERE i.trade_id = p_trade_id AND i.player_id = p_player_id
                                        AND i.offered_item_id = (e ->> 'itemId')::uuid)
                   ORDER BY 1 LOOP
        v_escrowed := inventory.market_escrow_item(v_item.item_id, p_player_id, v_item.quantity, p_trade_id,
                                                   'trade_offer', p_trade_id::text);
        INSERT INTO market.trade_items (trade_id, player_id, offered_item_id, item_id, escrow_inventory_id,
                                        item_template_id, quantity)
        VALUES (p_trade_id, p_player_id, v_item.item_id, (v_escrowed -> 'item' ->> 'id')::uuid,
                (v_escrowed ->> 'inventoryId')::uuid, v_escrowed -> 'item' ->> 'templateId', v_item.quantity);
        v_changed := true;
    END LOOP;

    -- Coins: the offer is replaced; each amount must be within the balance now.
    IF EXISTS (SELECT 1 FROM market.trade_money m WHERE m.trade_id = p_trade_id AND m.player_id = p_player_id
                  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_money) e
                                   WHERE e ->> 'currency' = m.currency::text AND (e ->> 'amount')::bigint = m.amount))
       OR (SELECT count(*) FROM market.trade_money m WHERE m.trade_id = p_trade_id AND m.player_id = p_player_id)
          <> jsonb_array_length(p_money) THEN
        v_changed := true;
    END IF;
    DELETE FROM market.trade_money WHERE trade_id = p_trade_id AND player_id = p_player_id;
    FOR v_money IN SELECT (e ->> 'currency')::market.currency_type AS currency, (e ->> 'amount')::bigint AS amount
                     FROM jsonb_array_elements(p_money) e ORDER BY 1 LOOP
        SELECT balance INTO v_balance FROM market.wallets WHERE player_id = p_player_id AND currency = v_money.currency;
        IF COALESCE(v_balance, 0) < v_money.amount THEN
            PERFORM raise_error('INSUFFICIENT_FUNDS', jsonb_build_object('playerId', p_player_id,
                                'currency', v_money.currency, 'balance', COALESCE(v_balance, 0),
                                'required', v_money.amount));
        END IF;
        INSERT INTO market.trade_money (trade_id, player_id, currency, amount)
        VALUES (p_trade_id, p_player_id, v_money.currency, v_money.amount);
    END LOOP;

    IF v_changed THEN
        UPDATE market.trades SET initiator_accepted = false, partner_accepted = false, version = version + 1,
                                 updated_at = now()
         WHERE id = p_trade_id;
    ELSE
        UPDATE market.trades SET updated_at = now() WHERE id = p_trade_id;
    END IF;
    v_result := market.trade_json(p_trade_id, p_timeout_seconds);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- The swap of a trade both sides accepted (the caller holds its lock): for each side, its escrowed
-- items to the other side (market_deliver_item fails on an item no longer in its escrow with its
-- quantity: NOT_FOUND / VALIDATION_FAILED, and the whole accept rolls back), its coins from its
-- wallet to the other's (INSUFFICIENT_FUNDS rolls back everything), and one transactions row.
CREATE OR REPLACE FUNCTION market.trd_execute(t market.trades) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_side record;
    v_row market.trade_items;
    v_money market.trade_money;
    v_details jsonb;
    v_first record;
BEGIN
    -- Coins first: the wallets of both sides, per currency, locked in player id order.
    FOR v_money IN SELECT * FROM market.trade_money WHERE trade_id = t.id ORDER BY currency, player_id LOOP
        PERFORM market.lock_wallets(ARRAY[t.initiator_id, t.partner_id], v_money.currency);
        PERFORM market.wallet_move(v_money.player_id, v_money.currency, -v_money.amount, 'trade_out', t.id::text);
        PERFORM market.wallet_move(CASE WHEN v_money.player_id = t.initiator_id THEN t.partner_id ELSE t.initiator_id END,
                                   v_money.currency, v_money.amount, 'trade_in', t.id::text);
    END LOOP;
    -- Items by receiver id: two trades between the same characters lock their inventories in one order.
    FOR v_side IN SELECT * FROM (VALUES (t.initiator_id, t.partner_id), (t.partner_id, t.initiator_id)) s(giver, receiver)
                   ORDER BY receiver LOOP
        FOR v_row IN SELECT * FROM market.trade_items WHERE trade_id = t.id AND player_id = v_side.giver
                      ORDER BY item_id LOOP
            PERFORM market.trd_give_item(v_row.item_id, v_row.quantity, v_row.item_template_id, v_side.receiver,
                                         t.id, 'trade');
        END LOOP;
        v_details := jsonb_build_object(
            'items', COALESCE((SELECT jsonb_agg(jsonb_build_object('itemTemplateId', item_template_id,
                                                                   'quantity', quantity) ORDER BY item_template_id, item_id)
                                 FROM market.trade_items WHERE trade_id = t.id AND player_id = v_side.giver), '[]'::jsonb),
            'money', COALESCE((SELECT jsonb_agg(jsonb_build_object('currency', currency, 'amount', amount)
                                                ORDER BY currency)
                                 FROM market.trade_money WHERE trade_id = t.id AND player_id = v_side.giver), '[]'::jsonb));
        -- The row's template, quantity, price and currency: the side's first item template and all
        -- its units, its first currency and that amount ('' and 0 for what the side did not give);
        -- details holds the whole side.
        SELECT (SELECT item_template_id FROM market.trade_items WHERE trade_id = t.id AND player_id = v_side.giver
                 ORDER BY item_template_id, item_id LIMIT 1) AS template,
               (SELECT COALESCE(sum(quantity), 0) FROM market.trade_items
                 WHERE trade_id = t.id AND player_id = v_side.giver) AS quantity,
               (SELECT currency FROM market.trade_money WHERE trade_id = t.id AND player_id = v_side.giver
                 ORDER BY currency LIMIT 1) AS currency
          INTO v_first;
        INSERT INTO market.transactions (id, buyer_id, seller_id, listing_id, item_template_id, quantity, total_price,
                                         currency, transaction_type, trade_id, details)
        VALUES (gen_random_uuid(), v_side.receiver, v_side.giver, NULL, COALESCE(v_first.template, ''),
                v_first.quantity,
                COALESCE((SELECT amount FROM market.trade_money WHERE trade_id = t.id AND player_id = v_side.giver
                             AND currency = v_first.currency), 0),
                COALESCE(v_first.currency, 'scrap'), 'direct_trade', t.id, v_details);
    END LOOP;
    UPDATE market.trades SET status = 'executed', closed_at = now(), updated_at = now(), close_reason = 'EXECUTED'
     WHERE id = t.id;
    PERFORM market.trd_event(t.id, 'evt.market.trade.executed.v1');
END;
$$;

-- POST /v1/trades/{id}/accept (market.trade.accept.v1): p_player_id accepts the offers as they are
-- (p_version, when given, must be the trade's: CONFLICT OFFER_CHANGED otherwise). When the other
-- side has accepted too, the trade executes in this same call. A double accept racing another:
-- the trade's row lock orders them, the second finds the trade executed (CONFLICT TRADE_CLOSED).
CREATE OR REPLACE FUNCTION market.accept_trade(p_principal jsonb, p_caller text, p_idempotency_key varchar,
                                               p_request_hash varchar, p_trade_id uuid, p_player_id uuid,
                                               p_version integer, p_timeout_seconds integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_trade market.trades;
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_trade_id IS NOT NULL, 'tradeId', 'required');
    PERFORM mkt_require(p_player_id IS NOT NULL, 'playerId', 'required');
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    v_trade := market.trd_lock_open(p_principal, p_trade_id, p_player_id, p_timeout_seconds);
    IF p_version IS NOT NULL AND p_version <> v_trade.version THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('tradeId', p_trade_id, 'reason', 'OFFER_CHANGED',
                            'version', v_trade.version));
    END IF;
    UPDATE market.trades
       SET initiator_accepted = initiator_accepted OR p_player_id = initiator_id,
           partner_accepted = partner_accepted OR p_player_id = partner_id,
           updated_at = now()
     WHERE id = p_trade_id
    RETURNING * INTO v_trade;
    IF v_trade.initiator_accepted AND v_trade.partner_accepted THEN
        PERFORM market.trd_execute(v_trade);
    END IF;
    v_result := market.trade_json(p_trade_id, p_timeout_seconds);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- DELETE /v1/trades/{id} (market.trade.cancel.v1): an open trade is cancelled and every escrowed
-- item goes back to its owner. A trade already cancelled answers as it is (a repeated cancel);
-- an executed one is CONFLICT TRADE_CLOSED. A stale trade (timed out, a player gone) may be
-- cancelled too.
CREATE OR REPLACE FUNCTION market.cancel_trade(p_principal jsonb, p_trade_id uuid, p_timeout_seconds integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_trade market.trades;
    v_server uuid := market.trd_server_of(p_principal);
BEGIN
    PERFORM mkt_require(p_trade_id IS NOT NULL, 'tradeId', 'required');
    SELECT * INTO v_trade FROM market.trades WHERE id = p_trade_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('tradeId', p_trade_id));
    END IF;
    IF v_server IS NOT NULL AND v_trade.server_id <> v_server THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('tradeId', p_trade_id, 'reason', 'NOT_THIS_SERVERS_TRADE'));
    END IF;
    IF v_trade.status = 'executed' THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('tradeId', p_trade_id, 'reason', 'TRADE_CLOSED',
                            'status', v_trade.status, 'closeReason', v_trade.close_reason));
    END IF;
    IF v_trade.status = 'open' THEN
        PERFORM market.trd_cancel(p_trade_id, 'CANCELLED');
    END IF;
    RETURN market.trade_json(p_trade_id, p_timeout_seconds);
END;
$$;

-- GET /v1/trades/{id} (market.trade.get.v1): a server its own trades, a player the trades of its
-- account's characters, an admin any. NULL when absent or not visible (the service answers 404).
CREATE OR REPLACE FUNCTION market.get_trade(p_principal jsonb, p_trade_id uuid, p_timeout_seconds integer)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT market.trade_json(t.id, p_timeout_seconds)
      FROM market.trades t
     WHERE t.id = p_trade_id
       AND CASE p_principal ->> 'kind'
               WHEN 'admin' THEN true
               WHEN 'server' THEN t.server_id = (p_principal ->> 'serverId')::uuid
               WHEN 'player' THEN EXISTS (SELECT 1 FROM accounts.players p
                                           WHERE p.id IN (t.initiator_id, t.partner_id)
                                             AND p.account_id = (p_principal ->> 'accountId')::uuid)
               ELSE false
           END;
$$;

-- The market.trades.expire schedule at its tick p_now: cancels up to p_limit open trades idle for
-- p_timeout_seconds or with a character no longer joined to the trade's server (TIMED_OUT,
-- PLAYER_LEFT), giving every escrowed item back. Trades locked by a running operation are left for
-- the next tick; a repeated tick finds nothing more to do. Returns {cancelled, trades: [{id, reason}]}.
CREATE OR REPLACE FUNCTION market.expire_trades(p_now timestamptz, p_timeout_seconds integer, p_limit integer DEFAULT 500)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_trade market.trades;
    v_reason text;
    v_done jsonb := '[]'::jsonb;
BEGIN
    PERFORM mkt_require(p_now IS NOT NULL, 'now', 'required');
    PERFORM mkt_require(p_timeout_seconds IS NOT NULL AND p_timeout_seconds >= 1, 'timeoutSeconds', 'at least 1');
    FOR v_trade IN
        SELECT * FROM market.trades t
         WHERE t.status = 'open' AND market.trd_stale_reason(t, p_now, p_timeout_seconds) IS NOT NULL
         ORDER BY t.updated_at, t.id
         LIMIT p_limit
           FOR UPDATE SKIP LOCKED
    LOOP
        -- Read again under the lock: an offer or accept may have refreshed it meanwhile.
        v_reason := market.trd_stale_reason(v_trade, p_now, p_timeout_seconds);
        CONTINUE WHEN v_reason IS NULL;
        PERFORM market.trd_cancel(v_trade.id, v_reason);
        v_done := v_done || jsonb_build_object('id', v_trade.id, 'reason', v_reason);
    END LOOP;
    RETURN jsonb_build_object('cancelled', jsonb_array_length(v_done), 'trades', v_done);
END;
$$;
