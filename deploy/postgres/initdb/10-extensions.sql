-- Runs once, when the docker-compose volume is first initialised (docker-entrypoint-initdb.d),
-- in POSTGRES_DB. pg_stat_statements is not a trusted extension, so the migrations (run as the
-- application role in production) cannot create it; the operator does, here or in CloudNativePG's
-- postInitApplicationSQL.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
