-- factions: the service's status, the example operation of its template (factions.status.get.v1).
-- Every function the factions service publishes lives in its own schema; another service calls
-- them, it never touches the schema's tables.

CREATE SCHEMA IF NOT EXISTS factions;

CREATE OR REPLACE FUNCTION factions.status()
RETURNS TABLE (service text, schema_name text, functions integer, database_time timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT 'factions'::text,
           'factions'::text,
           (SELECT count(*)::integer
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'factions'),
           now();
$$;
