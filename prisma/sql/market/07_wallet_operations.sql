-- market: the wallet routes (issue 13, rule 1): read the wallets, credit or debit one (a source or
-- sink reason of the documented list, through wallet_move), page its ledger.

-- GET /v1/players/{id}/wallets: [{currency, balance}] in currency order.
CREATE OR REPLACE FUNCTION market.list_wallets(p_principal jsonb, p_player_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM mkt_require_actor(p_principal, p_player_id, false);
    RETURN COALESCE((SELECT jsonb_agg(jsonb_build_object('currency', currency, 'balance', balance) ORDER BY currency)
                       FROM wallets WHERE player_id = p_player_id), '[]');
END;
$$;

-- POST /v1/players/{id}/wallets/{currency}/credit and /debit: p_delta > 0 with a source reason,
-- p_delta < 0 with a sink reason that is not the market's own (listing_fee, sales_tax); admin_grant and
-- admin_revoke for an admin only (403 ADMIN_REASON). One call:
-- the idempotency claim, the access check, wallet_move. Returns {currency, balance}.
CREATE OR REPLACE FUNCTION market.change_wallet(p_principal jsonb, p_idempotency_key varchar,
                                                p_request_hash varchar, p_player_id uuid, p_currency text,
                                                p_delta bigint, p_reason text, p_reference text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_caller text := mkt_principal_key(p_principal);
    v_claim record;
    v_balance bigint;
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_currency = ANY (enum_range(NULL::currency_type)::text[]), 'currency',
                        'must be one of ' || array_to_string(enum_range(NULL::currency_type)::text[], ', '));
    PERFORM mkt_require(p_delta IS NOT NULL AND p_delta <> 0 AND abs(p_delta) <= 1000000000000000, 'amount',
                        'must be 1 to 10^15');
    PERFORM mkt_require(CASE WHEN p_delta > 0 THEN wallet_reason_kind(p_reason) = 'source'
                             ELSE wallet_reason_kind(p_reason) = 'sink'
                                  AND p_reason NOT IN ('listing_fee', 'sales_tax') END,
                        'reason', 'not a ' || CASE WHEN p_delta > 0 THEN 'credit' ELSE 'debit' END || ' reason');
    PERFORM mkt_require_actor(p_principal, p_player_id, true);
    -- An operator's grant or revocation is an operator's: a game server names what the coins are for.
    IF p_reason IN ('admin_grant', 'admin_revoke') AND p_principal ->> 'kind' IS DISTINCT FROM 'admin' THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('field', 'reason', 'reason', 'ADMIN_REASON'));
    END IF;
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    v_balance := wallet_move(p_player_id, p_currency::currency_type, p_delta, p_reason, p_reference,
        CASE WHEN p_idempotency_key IS NOT NULL
             THEN 'api:' || encode(sha256(convert_to(v_caller || E'\n' || p_idempotency_key, 'UTF8')), 'hex') END);
    v_result := jsonb_build_object('currency', p_currency, 'balance', v_balance);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- GET /v1/players/{id}/wallets/{currency}/ledger: newest first, keyset paged by id (p_before: the
-- last id of the previous page). Returns {entries, nextCursor}.
CREATE OR REPLACE FUNCTION market.wallet_ledger_page(p_principal jsonb, p_player_id uuid, p_currency text,
                                                     p_limit integer, p_before bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_rows jsonb;
    v_more boolean;
BEGIN
    PERFORM mkt_require(p_currency = ANY (enum_range(NULL::currency_type)::text[]), 'currency', 'unknown currency');
    PERFORM mkt_require(p_limit BETWEEN 1 AND 500, 'limit', 'must be 1 to 500');
    PERFORM mkt_require_actor(p_principal, p_player_id, false);
    SELECT COALESCE(jsonb_agg(jsonb_build_object('id', l.id::text, 'delta', l.delta, 'balanceAfter', l.balance_after,
                                                 'reason', l.reason, 'reference', l.reference,
                                                 'createdAt', l.created_at) ORDER BY l.id DESC), '[]'),
           count(*) > p_limit
      INTO v_rows, v_more
      FROM (SELECT * FROM wallet_ledger
             WHERE player_id = p_player_id AND currency = p_currency::currency_type
               AND (p_before IS NULL OR id < p_before)
             ORDER BY id DESC LIMIT p_limit + 1) l;
    IF v_more THEN
        v_rows := v_rows - p_limit;
    END IF;
    RETURN jsonb_build_object('entries', v_rows,
        'nextCursor', CASE WHEN v_more THEN v_rows -> (p_limit - 1) ->> 'id' END);
END;
$$;
