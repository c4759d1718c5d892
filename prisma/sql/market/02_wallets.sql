-- market: wallets. open_wallets is published (docs/architecture.md "Data ownership"): accounts
-- calls it when it creates a character. SECURITY DEFINER, owned by tn1_market, with a pinned
-- search_path, like inventory's published functions (inventory/08_published.sql).

-- Opens the player's wallets, one per currency, at zero.
CREATE OR REPLACE FUNCTION open_wallets(p_player_id uuid)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = market, platform, public, pg_temp AS $$
    INSERT INTO wallets (player_id, currency)
    SELECT p_player_id, currency FROM unnest(enum_range(NULL::currency_type)) AS currency;
$$;

ALTER FUNCTION open_wallets(uuid) OWNER TO tn1_market;
GRANT EXECUTE ON FUNCTION open_wallets(uuid) TO tn1_accounts;
