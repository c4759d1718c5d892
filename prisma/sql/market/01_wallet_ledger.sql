-- market: wallet_ledger is append-only (platform's refuse_ledger_change).

CREATE OR REPLACE TRIGGER wallet_ledger_append_only
    BEFORE UPDATE OR DELETE ON wallet_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

CREATE OR REPLACE TRIGGER wallet_ledger_no_truncate
    BEFORE TRUNCATE ON wallet_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
