-- seasons: the service's status, the example operation of its template (seasons.status.get.v1).
-- Every function the seasons service publishes lives in its own schema; another service calls
-- them, it never touches the schema's tables.

CREATE SCHEMA IF NOT EXISTS seasons;

CREATE OR REPLACE FUNCTION seasons.status()
RETURNS TABLE (service text, schema_name text, functions integer, database_time timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT 'seasons'::text,
           'seasons'::text,
           (SELECT count(*)::integer
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'seasons'),
           now();
$$;
