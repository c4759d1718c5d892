-- world: functions this owner no longer has. Applied after the owner's other files (name order),
-- so their callers are already replaced when a function goes. Keep each line: on a database
-- migrated before the drop, it runs once more when this file next changes, and does nothing
-- (IF EXISTS).

-- Replaced by platform's raise_error.
DROP FUNCTION IF EXISTS st_fail(text, jsonb);
DROP FUNCTION IF EXISTS world_entity_fail(text, jsonb);

-- Replaced by the paying versions (costs from the catalog, taken from the cupboard's storage).
DROP FUNCTION IF EXISTS repair_structure(uuid, double precision);
DROP FUNCTION IF EXISTS pay_structure_upkeep(uuid, timestamptz, timestamptz);
-- Replaced by place_structure with the placing server (its storage counts on that server, issue 11).
DROP FUNCTION IF EXISTS place_structure(uuid, uuid, uuid, varchar, jsonb, jsonb, jsonb, jsonb, double precision,
                                        double precision, boolean, boolean, integer, integer, double precision,
                                        integer, timestamptz);
-- Replaced by damage_structure with the explosive type and offline-raid protection (issue 12).
DROP FUNCTION IF EXISTS damage_structure(uuid, double precision, uuid, boolean, timestamptz, varchar);
-- Replaced by capture_territory with the capturing character and server (issue 14 rule 4).
DROP FUNCTION IF EXISTS capture_territory(uuid, uuid, integer, timestamptz);
