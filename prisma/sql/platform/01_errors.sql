-- platform: raise_error, the one way the SQL functions of every owner fail with a stable code.
--
-- Wire format, what the services map back to an AppError (libs/inventory-domain
-- inventoryErrorOf, apps/world procedures/procedure-errors.ts): SQLSTATE P0001 (raise_exception),
-- MESSAGE = the code, an ErrorCode of @trustno1/contracts listed for the owner (InventoryErrors,
-- WorldErrors), DETAIL = the particulars as a JSON object; a VALIDATION_FAILED names the bad
-- field as {field, problem}. libs/db/src/migrate/procedure-sources.spec.ts refuses a code the
-- contracts do not list for the file's owner.
CREATE OR REPLACE FUNCTION raise_error(p_code text, p_details jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_code, DETAIL = COALESCE(p_details, '{}')::text;
END;
$$;

-- Every service's functions raise through it, running as the service's role.
GRANT EXECUTE ON FUNCTION raise_error(text, jsonb)
    TO tn1_accounts, tn1_inventory, tn1_world, tn1_combat, tn1_market, tn1_factions, tn1_seasons;
