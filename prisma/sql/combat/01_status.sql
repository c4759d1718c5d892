-- combat: the service's status, the example operation of its template (combat.status.get.v1).
-- Every function the combat service publishes lives in its own schema; another service calls
-- them, it never touches the schema's tables.

CREATE SCHEMA IF NOT EXISTS combat;

CREATE OR REPLACE FUNCTION combat.status()
RETURNS TABLE (service text, schema_name text, functions integer, database_time timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT 'combat'::text,
           'combat'::text,
           (SELECT count(*)::integer
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'combat'),
           now();
$$;
