-- market: money moves (issue 13, rule 1). Every change of a wallet's balance, whatever operation
-- makes it (a credit route, a listing fee, a purchase, a claim, a trade), goes through
-- market.wallet_move: it locks the wallet row, refuses a balance below zero with
-- INSUFFICIENT_FUNDS, and writes exactly one wallet_ledger row in the caller's transaction, so the
-- sum of a wallet's ledger is always its balance (verify_wallet_ledger checks it nightly).
--
-- Reasons (market.wallet_reason_kind): every ledger row is one of three kinds, so the money of a
-- currency is accounted for from the ledger alone:
--   source   coins enter the game:  quest_reward, loot, craft, admin_grant, event_reward, npc_sale
--   sink     coins leave the game:  npc_purchase, craft_cost, repair_cost, admin_revoke, fine,
--                                   listing_fee, sales_tax
--   transfer coins change hands:    market_purchase (buyer -), market_sale (seller +),
--                                   claim_escrow (- into a coin claim), claim_collect (+ out of one),
--                                   trade_out, trade_in (direct trades),
--                                   faction_deposit (- into a faction treasury), faction_withdraw and
--                                   faction_payout (+ out of one; the payout of a disband), through
--                                   market.faction_bank_move (30_factions_published.sql)
-- Invariant, per currency: sum(balances) + sum(uncollected coin claims) = sources - sinks, i.e. the
-- transfers of the ledger sum to minus what the open coin claims hold. Scrap in faction treasuries
-- is the other side of the faction_* transfers (factions.faction_ledger holds it).

CREATE OR REPLACE FUNCTION market.wallet_reason_kind(p_reason text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_reason IN ('quest_reward', 'loot', 'craft', 'admin_grant', 'event_reward', 'npc_sale') THEN 'source'
        WHEN p_reason IN ('npc_purchase', 'craft_cost', 'repair_cost', 'admin_revoke', 'fine', 'listing_fee',
                          'sales_tax') THEN 'sink'
        WHEN p_reason IN ('market_purchase', 'market_sale', 'claim_escrow', 'claim_collect', 'trade_out',
                          'trade_in', 'faction_deposit', 'faction_withdraw', 'faction_payout') THEN 'transfer'
    END;
$$;

-- VALIDATION_FAILED naming the field unless p_ok (the market's functions' argument checks).
CREATE OR REPLACE FUNCTION market.mkt_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

-- Adds p_delta (negative: takes) to the player's wallet of p_currency and writes its ledger row;
-- returns the balance after. p_idempotency_key (optional, unique over the whole ledger): a move
-- whose key is already on the ledger changes nothing and returns that row's balance_after, when it
-- is the same wallet and delta; another move under the key is IDEMPOTENCY_KEY_REUSED. Callers that
-- move two wallets lock them first in player id order (market.lock_wallets), so crossing moves
-- queue instead of deadlocking.
CREATE OR REPLACE FUNCTION market.wallet_move(p_player_id uuid, p_currency currency_type, p_delta bigint,
                                              p_reason text, p_reference text,
                                              p_idempotency_key text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_balance bigint;
    v_seen wallet_ledger;
BEGIN
    PERFORM mkt_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM mkt_require(p_currency IS NOT NULL, 'currency', 'required');
    PERFORM mkt_require(p_delta IS NOT NULL AND p_delta <> 0, 'amount', 'must not be zero');
    PERFORM mkt_require(wallet_reason_kind(p_reason) IS NOT NULL, 'reason', 'not a wallet ledger reason');
    PERFORM mkt_require(p_reference IS NULL OR length(p_reference) <= 255, 'reference', 'at most 255 characters');
    PERFORM mkt_require(p_idempotency_key IS NULL OR length(p_idempotency_key) BETWEEN 1 AND 255,
                        'idempotencyKey', '1 to 255 characters');
    SELECT balance INTO v_balance FROM wallets
     WHERE player_id = p_player_id AND currency = p_currency FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id, 'currency', p_currency,
                            'reason', 'NO_WALLET'));
    END IF;
    IF p_idempotency_key IS NOT NULL THEN
        -- Under the wallet's lock: a concurrent move with this key on this wallet has committed or
        -- rolled back by now, and this statement's snapshot sees it.
        SELECT * INTO v_seen FROM wallet_ledger WHERE idempotency_key = p_idempotency_key;
        IF FOUND THEN
            IF v_seen.player_id <> p_player_id OR v_seen.currency <> p_currency OR v_seen.delta <> p_delta THEN
                PERFORM raise_error('IDEMPOTENCY_KEY_REUSED', jsonb_build_object('key', p_idempotency_key));
            END IF;
            RETURN v_seen.balance_after;
        END IF;
    END IF;
    IF v_balance + p_delta < 0 THEN
        PERFORM raise_error('INSUFFICIENT_FUNDS', jsonb_build_object('playerId', p_player_id,
                            'currency', p_currency, 'balance', v_balance, 'required', -p_delta));
    END IF;
    UPDATE wallets SET balance = balance + p_delta
     WHERE player_id = p_player_id AND currency = p_currency
    RETURNING balance INTO v_balance;
    BEGIN
        INSERT INTO wallet_ledger (player_id, currency, delta, balance_after, reason, reference, idempotency_key)
        VALUES (p_player_id, p_currency, p_delta, v_balance, p_reason, p_reference, p_idempotency_key);
    EXCEPTION WHEN unique_violation THEN
        -- The key is another wallet's (committed while we held this one's lock).
        PERFORM raise_error('IDEMPOTENCY_KEY_REUSED', jsonb_build_object('key', p_idempotency_key));
    END;
    RETURN v_balance;
END;
$$;

-- Locks the wallets of p_players in p_currency in player id order (FOR UPDATE), before a move of
-- more than one of them. Returns how many exist.
CREATE OR REPLACE FUNCTION market.lock_wallets(p_players uuid[], p_currency currency_type) RETURNS integer
LANGUAGE sql AS $$
    SELECT count(*)::int FROM (
        SELECT 1 FROM wallets WHERE player_id = ANY (p_players) AND currency = p_currency
         ORDER BY player_id FOR UPDATE) l;
$$;
