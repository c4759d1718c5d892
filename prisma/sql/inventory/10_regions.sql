-- inventory: an inventory's region is its server's (issue 11): set on insert from
-- accounts.game_servers, so every path that creates an inventory with a server (the API, structure
-- storage, vehicles, corpses, spilled containers) records it the same way and it cannot disagree
-- with server_id. inv_require_access (07_item_operations.sql) refuses a server of another region.

CREATE OR REPLACE FUNCTION inventories_region() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.owner_type = 'player' OR NEW.server_id IS NULL THEN
        NEW.region := NULL;
    ELSE
        SELECT region INTO NEW.region FROM accounts.game_servers WHERE id = NEW.server_id;
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER inventories_region
    BEFORE INSERT OR UPDATE OF server_id ON inventories
    FOR EACH ROW EXECUTE FUNCTION inventories_region();
