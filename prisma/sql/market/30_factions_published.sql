-- market: the money side of a faction treasury move (issue 14, rule 3), published to the factions
-- service. Factions never writes market's tables: its treasury functions (prisma/sql/factions/)
-- lock the faction row, call this for the player's wallet, and write their own ledger, all in the
-- caller's one transaction. SECURITY DEFINER, owned by tn1_market, pinned search_path, granted to
-- tn1_factions only.
--
-- market.faction_bank_move(p_player_id, p_faction_id, p_direction, p_amount, p_reference)
--   p_direction 'deposit': the wallet pays p_amount (reason faction_deposit, INSUFFICIENT_FUNDS
--   when short); 'withdraw' / 'payout': the wallet receives it (faction_withdraw, faction_payout).
--   Writes the wallet_ledger row (market.wallet_move) and one transactions row of type
--   faction_bank: buyer_id = the player, item_template_id 'scrap', quantity 1, total_price =
--   p_amount, location = {factionId, direction}. Returns the wallet's balance after.
CREATE OR REPLACE FUNCTION market.faction_bank_move(p_player_id uuid, p_faction_id uuid, p_direction text,
                                                   p_amount bigint, p_reference text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = market, platform, public, pg_temp AS $$
DECLARE
    v_balance bigint;
BEGIN
    PERFORM mkt_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM mkt_require(p_direction IN ('deposit', 'withdraw', 'payout'), 'direction',
                        'must be deposit, withdraw or payout');
    PERFORM mkt_require(p_amount IS NOT NULL AND p_amount > 0, 'amount', 'must be positive');
    v_balance := wallet_move(p_player_id, 'scrap'::currency_type,
                             CASE WHEN p_direction = 'deposit' THEN -p_amount ELSE p_amount END,
                             'faction_' || p_direction, p_reference);
    INSERT INTO transactions (id, buyer_id, seller_id, listing_id, item_template_id, quantity, total_price,
                              currency, transaction_type, location)
    VALUES (gen_random_uuid(), p_player_id, NULL, NULL, 'scrap', 1, p_amount, 'scrap', 'faction_bank',
            jsonb_build_object('factionId', p_faction_id, 'direction', p_direction));
    RETURN v_balance;
END;
$$;

ALTER FUNCTION market.faction_bank_move(uuid, uuid, text, bigint, text) OWNER TO tn1_market;
GRANT EXECUTE ON FUNCTION market.faction_bank_move(uuid, uuid, text, bigint, text) TO tn1_factions;
