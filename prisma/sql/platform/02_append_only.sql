-- platform: the append-only guard of every ledger. Each owner attaches it to its own ledger in
-- its own files: item_ledger (inventory/02_row_guards.sql), wallet_ledger
-- (market/01_wallet_ledger.sql), territory_resource_ledger (world/09_territories.sql).

-- History is only ever appended. Archiving old rows is an operator action that disables the
-- trigger explicitly (docs/database.md).
CREATE OR REPLACE FUNCTION refuse_ledger_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
