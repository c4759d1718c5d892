-- platform: idempotency records claimed and written inside the operation's own function call, so
-- an operation with an Idempotency-Key is still one database round trip (issue 9): the record,
-- the change and the stored response commit together or not at all.
--
-- idempotency_claim inserts the (principal, key) row. A concurrent retry with the same key waits
-- on that row until the first caller commits or rolls back; it then either finds the committed
-- row (replayed = true, the stored response) or inserts its own. The same key with another
-- request is IDEMPOTENCY_KEY_REUSED. Failures roll the row back with everything else, so a failed
-- request can be retried. Callers check the key's length before calling (the TypeScript kit).
CREATE OR REPLACE FUNCTION idempotency_claim(p_principal text, p_key text, p_request_hash text,
                                             OUT replayed boolean, OUT response jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_hash text;
BEGIN
    INSERT INTO idempotency_keys (principal, key, request_hash) VALUES (p_principal, p_key, p_request_hash)
    ON CONFLICT (principal, key) DO NOTHING;
    IF FOUND THEN
        replayed := false;
        RETURN;
    END IF;
    -- A statement of its own: its snapshot sees the row that the conflicting caller committed.
    SELECT k.request_hash, k.response INTO v_hash, response
      FROM idempotency_keys k WHERE k.principal = p_principal AND k.key = p_key;
    IF v_hash IS DISTINCT FROM p_request_hash THEN
        PERFORM raise_error('IDEMPOTENCY_KEY_REUSED', jsonb_build_object('key', p_key));
    END IF;
    replayed := true;
END;
$$;

-- Stores the response of a claimed key (JSON null for an operation that answers nothing).
CREATE OR REPLACE FUNCTION idempotency_store(p_principal text, p_key text, p_response jsonb) RETURNS void
LANGUAGE sql AS $$
    UPDATE idempotency_keys SET response = COALESCE(p_response, 'null'::jsonb), status_code = 200
     WHERE principal = p_principal AND key = p_key;
$$;

-- Every service claims keys inside its own operations (platform owns idempotency_keys).
GRANT EXECUTE ON FUNCTION idempotency_claim(text, text, text), idempotency_store(text, text, jsonb)
    TO tn1_accounts, tn1_inventory, tn1_world, tn1_combat, tn1_market, tn1_factions, tn1_seasons;
