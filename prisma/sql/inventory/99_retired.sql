-- inventory: functions this owner no longer has. Applied after the owner's other files (name
-- order), so their callers are already replaced when a function goes. Keep each line: on a
-- database migrated before the drop, it runs once more when this file next changes, and does
-- nothing (IF EXISTS).

-- Replaced by platform's raise_error.
DROP FUNCTION IF EXISTS inv_fail(text, jsonb);

-- Replaced by inv_require_server_access(uuid, text, uuid[]) (the server's region) and
-- inv_transfer_locked with a lock code for each end (issue 11).
DROP FUNCTION IF EXISTS inv_require_server_access(uuid, uuid[]);
DROP FUNCTION IF EXISTS inv_transfer_locked(inventory_items, uuid, integer, integer, integer, varchar, varchar,
                                            varchar);
DROP FUNCTION IF EXISTS inventory.move_item(jsonb, varchar, varchar, uuid, uuid, integer, integer, integer, varchar,
                                            uuid, varchar);
