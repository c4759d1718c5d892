-- market: the nightly conservation check of money (issue 11): every wallet's balance equals the
-- sum of its ledger's deltas. Returns how many wallets disagree and the first of them, for the
-- worker's ledgers.verify schedule. Read-only.
CREATE OR REPLACE FUNCTION verify_wallet_ledger(OUT mismatches integer, OUT first_mismatch jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = market, platform, public, pg_temp AS $$
    WITH replay AS (
        SELECT player_id, currency, sum(delta)::bigint AS ledger FROM wallet_ledger GROUP BY player_id, currency
    ), diff AS (
        SELECT COALESCE(w.player_id, r.player_id) AS player_id, COALESCE(w.currency, r.currency) AS currency,
               COALESCE(r.ledger, 0) AS ledger, COALESCE(w.balance, 0) AS actual
          FROM wallets w FULL JOIN replay r ON r.player_id = w.player_id AND r.currency = w.currency
         WHERE COALESCE(r.ledger, 0) <> COALESCE(w.balance, 0)
    )
    SELECT (SELECT count(*)::int FROM diff),
           (SELECT jsonb_build_object('playerId', player_id, 'currency', currency, 'ledger', ledger,
                                      'actual', actual)
              FROM diff ORDER BY player_id, currency LIMIT 1);
$$;

ALTER FUNCTION verify_wallet_ledger() OWNER TO tn1_market;
GRANT USAGE ON SCHEMA market TO tn1_worker;
GRANT EXECUTE ON FUNCTION verify_wallet_ledger() TO tn1_worker;
