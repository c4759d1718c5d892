-- factions: the treasury (issue 14, rule 3). A deposit or a withdrawal moves scrap between a
-- member's wallet and factions.treasury in one transaction: the faction row locked first (so a
-- kick, a disband or another withdrawal of the faction waits), market's published
-- faction_bank_move for the wallet side (wallet_ledger row + transactions row faction_bank), this
-- schema's faction_ledger row for the treasury side. The treasury never goes below zero (the
-- check here, and factions_treasury_check under it).

-- The per-rank daily withdraw limits (FACTION_WITHDRAW_LIMIT_*, passed by the service as
-- {"officer": n, "member": n, "recruit": n}): what a member may withdraw per UTC day; the leader
-- has no limit.
CREATE OR REPLACE FUNCTION factions.fct_withdraw_limit(p_limits jsonb, p_rank factions.faction_rank) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_rank = 'leader' THEN NULL ELSE COALESCE((p_limits ->> p_rank::text)::bigint, 0) END;
$$;

-- POST /v1/factions/{id}/treasury/deposit (needs treasury_deposit): {treasury, balance}.
-- contribution_points grow by the amount (capped at the column's maximum).
CREATE OR REPLACE FUNCTION factions.deposit(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                            p_faction_id uuid, p_player_id uuid, p_amount bigint)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_faction factions.factions;
    v_member factions.faction_members;
    v_balance bigint;
    v_treasury bigint;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM factions.fct_require(p_amount BETWEEN 1 AND 1000000000000, 'amount', 'must be 1 to 10^12');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_player_id);
    v_faction := factions.fct_lock_faction(p_faction_id);
    v_member := factions.fct_member(p_faction_id, p_player_id, true);
    PERFORM factions.fct_require_permission(v_member, 'treasury_deposit');
    v_balance := market.faction_bank_move(p_player_id, p_faction_id, 'deposit', p_amount,
                                          'faction:' || p_faction_id || ':deposit');
    UPDATE factions.factions SET treasury = treasury + p_amount WHERE id = p_faction_id
    RETURNING treasury INTO v_treasury;
    INSERT INTO factions.faction_ledger (faction_id, player_id, delta, balance_after, reason, reference)
    VALUES (p_faction_id, p_player_id, p_amount, v_treasury, 'deposit', p_key);
    UPDATE factions.faction_members
       SET contribution_points = least(2147483647, contribution_points::bigint + p_amount)::int
     WHERE faction_id = p_faction_id AND player_id = p_player_id;
    v_result := jsonb_build_object('treasury', v_treasury, 'balance', v_balance);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- POST /v1/factions/{id}/treasury/withdraw (needs treasury_withdraw): within the treasury
-- (INSUFFICIENT_FUNDS) and the rank's daily limit (LIMIT_REACHED DAILY_WITHDRAW_LIMIT).
CREATE OR REPLACE FUNCTION factions.withdraw(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                             p_faction_id uuid, p_player_id uuid, p_amount bigint,
                                             p_limits jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_faction factions.factions;
    v_member factions.faction_members;
    v_limit bigint;
    v_today bigint;
    v_balance bigint;
    v_treasury bigint;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM factions.fct_require(p_amount BETWEEN 1 AND 1000000000000, 'amount', 'must be 1 to 10^12');
    PERFORM factions.fct_require(jsonb_typeof(p_limits) = 'object', 'limits', 'must be an object');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_player_id);
    v_faction := factions.fct_lock_faction(p_faction_id);
    v_member := factions.fct_member(p_faction_id, p_player_id, true);
    PERFORM factions.fct_require_permission(v_member, 'treasury_withdraw');
    IF p_amount > v_faction.treasury THEN
        PERFORM raise_error('INSUFFICIENT_FUNDS', jsonb_build_object('factionId', p_faction_id,
                            'treasury', v_faction.treasury, 'required', p_amount));
    END IF;
    v_limit := factions.fct_withdraw_limit(p_limits, v_member.rank);
    IF v_limit IS NOT NULL THEN
        SELECT COALESCE(-sum(delta), 0) INTO v_today FROM factions.faction_ledger
         WHERE faction_id = p_faction_id AND player_id = p_player_id AND reason = 'withdraw'
           AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        IF v_today + p_amount > v_limit THEN
            PERFORM raise_error('LIMIT_REACHED', jsonb_build_object('factionId', p_faction_id,
                                'reason', 'DAILY_WITHDRAW_LIMIT', 'limit', v_limit, 'withdrawnToday', v_today));
        END IF;
    END IF;
    UPDATE factions.factions SET treasury = treasury - p_amount WHERE id = p_faction_id
    RETURNING treasury INTO v_treasury;
    INSERT INTO factions.faction_ledger (faction_id, player_id, delta, balance_after, reason, reference)
    VALUES (p_faction_id, p_player_id, -p_amount, v_treasury, 'withdraw', p_key);
    v_balance := market.faction_bank_move(p_player_id, p_faction_id, 'withdraw', p_amount,
                                          'faction:' || p_faction_id || ':withdraw');
    v_result := jsonb_build_object('treasury', v_treasury, 'balance', v_balance);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;
